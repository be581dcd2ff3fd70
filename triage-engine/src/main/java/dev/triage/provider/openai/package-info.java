/**
 * The OpenAI Chat Completions protocol, spoken by OpenAI and by every compatible server (vLLM,
 * Ollama, Together, Groq, DeepSeek, OpenRouter). Since the canonical request already is a Chat
 * Completions body, this adapter passes it through and only reads usage, finish reasons and errors.
 */
package dev.triage.provider.openai;
