/**
 * The canonical request/response types (OpenAI Chat Completions shape), token usage and money;
 * {@link dev.triage.chat.CompletionShape} builds every answer body and stream chunk in that shape.
 */
package dev.triage.chat;
