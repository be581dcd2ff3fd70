/**
 * Shared context across models (the seed's strategy 4): a conversation's profile, constraints, task
 * history and facts, extracted by a cheap model and used in place of older turns
 * ({@link dev.triage.context.ContextSharing}).
 */
package dev.triage.context;
