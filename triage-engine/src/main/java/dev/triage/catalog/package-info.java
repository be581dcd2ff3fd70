/** The price catalog: which models exist, who serves them and what they cost. */
package dev.triage.catalog;
