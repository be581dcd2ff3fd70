/**
 * The Anthropic Messages API: {@link dev.triage.provider.anthropic.AnthropicProvider} translates
 * OpenAI-shaped requests to {@code /v1/messages}, and answers and event streams back to OpenAI shape.
 */
package dev.triage.provider.anthropic;
