#!/usr/bin/env node
// A fake OpenAI upstream for bench/node-overhead.sh: answers POST /v1/chat/completions at once with a
// fixed non-streaming chat.completion (usage included), the same answer as the Java
// dev.triage.bench.FakeOpenAiUpstream, and anything else with an OpenAI-shaped 404. It reads every
// request body to its end before answering and keeps connections alive.
//
// Usage: node bench/node/fake-upstream.js [--host 127.0.0.1] [--port 18081]
'use strict';

const http = require('node:http');

let host = '127.0.0.1';
let port = 18081;
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--host') host = process.argv[++i];
  else if (arg === '--port') port = Number(process.argv[++i]);
  else {
    console.error('usage: fake-upstream.js [--host H] [--port N]');
    process.exit(2);
  }
}

// The completion, pretty-printed as OpenAI sends it; built once, sent as the same bytes every time.
const completion = Buffer.from(JSON.stringify({
  id: 'chatcmpl-BgQ7tDcqvbQ1d3zW6xYkP0aFhN2sE',
  object: 'chat.completion',
  created: 1749400000,
  model: 'fake-model',
  choices: [{
    index: 0,
    message: {
      role: 'assistant',
      content: 'Hello! How can I help you today?',
      refusal: null,
      annotations: [],
    },
    logprobs: null,
    finish_reason: 'stop',
  }],
  usage: {
    prompt_tokens: 14,
    completion_tokens: 9,
    total_tokens: 23,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_34a54ae93c',
}, null, 2) + '\n');

const notFound = Buffer.from(JSON.stringify({
  error: {
    message: 'Unknown request URL. Only POST /v1/chat/completions is served.',
    type: 'invalid_request_error',
    param: null,
    code: 'unknown_url',
  },
}));

const server = http.createServer((req, res) => {
  // Drain the body (Content-Length or chunked) before answering, so the keep-alive connection is
  // clean for the next request. The body itself is not needed.
  req.on('data', () => {});
  req.on('end', () => {
    const path = req.url.split('?', 1)[0];
    const chat = req.method === 'POST' && path === '/v1/chat/completions';
    const body = chat ? completion : notFound;
    res.writeHead(chat ? 200 : 404, {
      'Content-Type': 'application/json',
      'Content-Length': body.length,
      'openai-processing-ms': '1',
      'x-request-id': 'req_fake0000000000000000000000000000',
    });
    res.end(body);
  });
});

// Node closes a keep-alive connection idle for 5 s by default; a benchmark connection may idle
// between runs (a gateway's pool) and should live as long as the process.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.requestTimeout = 0;
server.on('connection', (socket) => socket.setNoDelay(true));

server.listen(port, host, () => {
  console.log(`fake OpenAI upstream (node ${process.version}) listening on http://${host}:${port}/v1`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
