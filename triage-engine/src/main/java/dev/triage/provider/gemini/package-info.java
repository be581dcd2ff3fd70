/**
 * The Google Gemini adapter: OpenAI Chat Completions requests become {@code generateContent} /
 * {@code streamGenerateContent?alt=sse} calls, and Gemini answers come back in OpenAI shape.
 * {@link dev.triage.provider.gemini.GeminiProvider} is the only public class.
 */
package dev.triage.provider.gemini;
