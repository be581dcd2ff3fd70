/** Routes and routing decisions: which model(s) a request goes to, and why. */
package dev.triage.routing;
