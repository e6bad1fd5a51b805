/**
 * A small OpenAI-compatible model server on loopback, speaking the real Chat Completions protocol: plain
 * and streamed (server-sent events) responses, tool calls, JSON content, HTTP errors, a server that never
 * answers. Each test scripts what "the model" says for a request; every request body is kept as received,
 * so tests can check what left the assistant.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  tools?: { type: 'function'; function: { name: string; parameters: unknown } }[];
  tool_choice?: unknown;
  response_format?: { type: string };
  stream?: boolean;
}

/** What the scripted model does with one request. */
export type ModelAct =
  | { kind: 'result'; value: unknown } // a tool call when tools were sent, JSON content otherwise
  | { kind: 'raw'; content: string } // this content, as it is (malformed JSON, prose)
  | { kind: 'refusal'; text: string }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }; // never answers (the client must time out)

export type Script = (request: ChatRequest, purpose: 'reader' | 'answer' | 'other') => ModelAct;

export interface FakeModel {
  url: string;
  /** Every chat request body as it arrived (raw text). */
  bodies: string[];
  requests: ChatRequest[];
  script: Script;
  /** Requests to /v1/models (the health probe). */
  modelListCalls: number;
  /** Refuse tool calls with a 400, as servers without them do. */
  noTools: boolean;
  close(): Promise<void>;
}

/** Which of the assistant's prompts a request carries. */
export function purposeOf(request: ChatRequest): 'reader' | 'answer' | 'other' {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  if (system.includes('理解模块')) return 'reader';
  if (system.includes('检索到的段落')) return 'answer';
  return 'other';
}

/** The applicant's message inside the user turn (between the <<< >>> the prompts put around it). */
export function userText(request: ChatRequest): string {
  const user = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return /<<<\n([\s\S]*?)\n>>>/.exec(user)?.[1] ?? user;
}

export async function startFakeModel(script: Script = () => ({ kind: 'status', status: 500 })): Promise<FakeModel> {
  const hanging = new Set<ServerResponse>();
  const fake: FakeModel = {
    url: '',
    bodies: [],
    requests: [],
    script,
    modelListCalls: 0,
    noTools: false,
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => void handle(fake, hanging, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  fake.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
  return fake;
}

async function handle(fake: FakeModel, hanging: Set<ServerResponse>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  if (req.method === 'GET' && req.url === '/v1/models') {
    fake.modelListCalls++;
    return json(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'test' }] });
  }
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return json(res, 404, { error: { message: 'not found' } });
  fake.bodies.push(body);
  const request = JSON.parse(body) as ChatRequest;
  fake.requests.push(request);
  if (fake.noTools && request.tools) return json(res, 400, { error: { message: 'tools are not supported by this server', type: 'invalid_request_error' } });
  const act = fake.script(request, purposeOf(request));
  if (act.kind === 'hang') {
    hanging.add(res);
    return;
  }
  if (act.kind === 'status') return json(res, act.status, act.body ?? { error: { message: 'internal error', type: 'server_error' } });
  const toolName = request.tools?.[0]?.function.name;
  const message =
    act.kind === 'result' && toolName
      ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: toolName, arguments: JSON.stringify(act.value) } }] }
      : act.kind === 'refusal'
        ? { role: 'assistant', content: null, refusal: act.text }
        : { role: 'assistant', content: act.kind === 'result' ? JSON.stringify(act.value) : act.content };
  const usage = { prompt_tokens: Math.ceil(body.length / 2), completion_tokens: 20, total_tokens: Math.ceil(body.length / 2) + 20 };
  const finish = 'tool_calls' in message ? 'tool_calls' : 'stop';
  if (!request.stream) {
    return json(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: request.model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (delta: object, finishReason: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: request.model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}\n\n`);
  if ('tool_calls' in message && message.tool_calls) {
    const call = message.tool_calls[0]!;
    send({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
    // The arguments in pieces, as servers stream them.
    for (const piece of call.function.arguments.match(/[\s\S]{1,16}/g) ?? []) send({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
  } else if ('refusal' in message) {
    send({ role: 'assistant', content: null, refusal: message.refusal });
  } else {
    send({ role: 'assistant', content: '' });
    for (const piece of String(message.content).match(/[\s\S]{1,16}/g) ?? []) send({ content: piece });
  }
  send({}, finish);
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: request.model, choices: [], usage })}\n\n`);
  res.write('data: [DONE]\n\n');
  res.end();
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
