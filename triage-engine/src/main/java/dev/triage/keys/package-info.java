/**
 * Virtual keys: API keys the gateway issues to apps and teams, each with its own budget, model and route
 * lists and rate limits. Only a salted hash of a key is stored ({@link dev.triage.keys.KeySecrets}); the
 * store is the ledger database ({@link dev.triage.keys.KeyStore}).
 */
package dev.triage.keys;
