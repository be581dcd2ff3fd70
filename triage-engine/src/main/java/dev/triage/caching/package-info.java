/**
 * Provider prompt caching: which prefixes of a prompt to mark for a provider's cache
 * ({@link dev.triage.caching.CachePlanner}), the per-request choice ({@link dev.triage.chat.PromptCache}),
 * and the conversation a request belongs to ({@link dev.triage.caching.SessionId}).
 */
package dev.triage.caching;
