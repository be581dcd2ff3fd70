/** Local token estimates (jtokkit), used where providers report no usage. */
package dev.triage.tokens;
