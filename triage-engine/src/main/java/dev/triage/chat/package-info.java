/** The canonical request/response types (OpenAI Chat Completions shape), token usage and money. */
package dev.triage.chat;
