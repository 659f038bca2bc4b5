import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub answers to one chat completion: the assistant's text, or `hang` to never answer. */
export type LlmReply = string | { hang: true } | ((prompt: { system: string; user: string }) => string);

export interface LlmStub {
  /** Base URL for LLM_BASE_URL (OpenAI-compatible, ends with /v1). */
  url: string;
  /** Requests received: the messages sent. */
  requests: { model: string; messages: { role: string; content: string }[] }[];
  /** Queues replies, used in order; when empty the default reply is used. */
  reply(...replies: LlmReply[]): void;
  setDefault(reply: LlmReply): void;
  close(): Promise<void>;
}

/** An OpenAI-compatible `POST /v1/chat/completions` stub on 127.0.0.1 (real wire format, non-streaming). */
export async function startLlmStub(): Promise<LlmStub> {
  const queue: LlmReply[] = [];
  let fallback: LlmReply = '{}';
  const requests: LlmStub['requests'] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      }
      const body = JSON.parse(raw);
      requests.push({ model: body.model, messages: body.messages });
      const reply = queue.shift() ?? fallback;
      if (typeof reply === 'object') {
        hanging.add(res);
        return;
      }
      const system = body.messages.find((m: { role: string }) => m.role === 'system')?.content ?? '';
      const user = [...body.messages].reverse().find((m: { role: string }) => m.role === 'user')?.content ?? '';
      const content = typeof reply === 'function' ? reply({ system, user }) : reply;
      const answer = {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...replies) => queue.push(...replies),
    setDefault: (reply) => (fallback = reply),
    close: () =>
      new Promise((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
