/** The cost ledger API: one entry per upstream attempt. Storage backends live in triage-storage. */
package dev.triage.ledger;
