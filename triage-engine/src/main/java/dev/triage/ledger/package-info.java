/**
 * The cost ledger API: one entry per upstream attempt, and (opt-in) the text of answered requests for
 * training. Storage backends live in triage-storage.
 */
package dev.triage.ledger;
