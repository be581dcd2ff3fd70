// Drives the official JavaScript clients against a live Triage gateway and prints one JSON line per check.
// Usage: node run.mjs <check> (TRIAGE_URL = the gateway's base URL, TRIAGE_KEY = its API key).
// Run by JsClientsTest (triage-server tests), which starts the gateway and reads the lines.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, generateObject, jsonSchema } from 'ai';

const url = process.env.TRIAGE_URL;
const key = process.env.TRIAGE_KEY;
const model = process.env.TRIAGE_MODEL || 'auto';
const print = (name, value) => console.log(JSON.stringify({ check: name, ...value }));

const checks = {
  async 'vercel-generate'() {
    const provider = createOpenAI({ baseURL: url + '/v1', apiKey: key });
    const r = await generateText({ model: provider(model), prompt: 'Name one primary colour.' });
    print('vercel-generate', { text: r.text, finishReason: r.finishReason, inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens });
  },
  async 'vercel-stream'() {
    const provider = createOpenAI({ baseURL: url + '/v1', apiKey: key });
    const r = streamText({ model: provider(model), prompt: 'Name one primary colour.' });
    let parts = 0;
    let text = '';
    for await (const delta of r.textStream) {
      parts++;
      text += delta;
    }
    const usage = await r.usage;
    print('vercel-stream', { text, parts, finishReason: await r.finishReason, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
  },
  async 'vercel-object'() {
    const provider = createOpenAI({ baseURL: url + '/v1', apiKey: key });
    const r = await generateObject({
      model: provider(model),
      schema: jsonSchema({ type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer' } },
        required: ['city', 'population'], additionalProperties: false }),
      prompt: 'Give a city and its population.',
    });
    print('vercel-object', { object: r.object });
  },
  async 'openai-responses'() {
    const client = new OpenAI({ baseURL: url + '/v1', apiKey: key });
    const first = await client.responses.create({ model, instructions: 'Answer briefly.', input: 'Name one primary colour.' });
    const second = await client.responses.create({ model, input: 'And another one?', previous_response_id: first.id });
    let events = [];
    let text = '';
    const stream = await client.responses.create({ model, input: 'Name one primary colour.', stream: true });
    for await (const e of stream) {
      events.push(e.type);
      if (e.type === 'response.output_text.delta') {
        text += e.delta;
      }
    }
    const retrieved = await client.models.retrieve(model);
    const inputItems = [];
    for await (const item of client.responses.inputItems.list(second.id, { limit: 1, order: 'asc' })) {
      inputItems.push(item.type + ':' + item.role);
    }
    print('openai-responses', { first: first.output_text, firstId: first.id, status: first.status, second: second.output_text,
      secondPrevious: second.previous_response_id, events: [...new Set(events)], streamed: text, retrieved: retrieved.id,
      inputItems });
  },
  async 'anthropic-messages'() {
    const client = new Anthropic({ baseURL: url, apiKey: key });
    const m = await client.messages.create({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Name one primary colour.' }] });
    const stream = client.messages.stream({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Name one primary colour.' }] });
    const events = [];
    stream.on('streamEvent', (e) => events.push(e.type));
    const final = await stream.finalMessage();
    print('anthropic-messages', { type: m.type, text: m.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
      stopReason: m.stop_reason, inputTokens: m.usage.input_tokens, events: [...new Set(events)],
      streamed: final.content.filter((b) => b.type === 'text').map((b) => b.text).join('') });
  },
};

const name = process.argv[2];
if (!checks[name]) {
  console.error('unknown check ' + name + '; one of ' + Object.keys(checks).join(', '));
  process.exit(2);
}
try {
  await checks[name]();
} catch (e) {
  console.error(name + ' failed: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
}
