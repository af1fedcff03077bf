/* eslint-disable @n8n/community-nodes/no-restricted-imports -- end-to-end harness: a scripted OpenAI-compatible server for n8n's OpenAI Chat Model */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One tool call the model asks for. */
export interface ScriptedToolCall {
	/** A pattern the tool's function name must match; the first tool offered that matches is called. */
	tool: RegExp;
	arguments: Record<string, unknown>;
}

/** A fixed script: the same calls whatever the tools answer. */
export interface FixedScript {
	/** Turn n (n - 1 tool results in the conversation): call toolCalls[n - 1], one call a turn. */
	toolCalls: ScriptedToolCall[];
	/** The turn after the last call's result: the final text, built from that result. */
	finalAnswer(toolResult: string): string;
}

/** One tool call of the conversation so far and what the tool answered (its message's text). */
export interface ToolTurn {
	tool: string;
	arguments: Record<string, unknown>;
	result: string;
}

/**
 * A script that decides each turn from the conversation so far: the calls made, in order, each
 * with the tool's answer. It answers the next call, or the final text.
 */
export interface ReactiveScript {
	next(history: ToolTurn[]): ScriptedToolCall | { final: string };
}

/** What the scripted model answers, turn by turn. */
export type ModelScript = FixedScript | ReactiveScript;

/** The tool calls in the conversation the agent sent, each paired with its tool message. */
export function toolHistory(messages: ChatMessage[]): ToolTurn[] {
	const results = new Map(
		messages
			.filter((message) => message.role === 'tool')
			.map((message) => [message.tool_call_id, textOf(message.content)]),
	);
	return messages.flatMap((message) =>
		(message.tool_calls ?? []).map((call) => ({
			tool: call.function.name,
			arguments: JSON.parse(call.function.arguments || '{}') as Record<string, unknown>,
			result: results.get(call.id) ?? '',
		})),
	);
}

function nextTurn(
	script: ModelScript,
	messages: ChatMessage[],
): ScriptedToolCall | { final: string } {
	if ('next' in script) return script.next(toolHistory(messages));
	const toolResults = messages.filter((message) => message.role === 'tool');
	return (
		script.toolCalls[toolResults.length] ?? {
			final: script.finalAnswer(textOf(toolResults[toolResults.length - 1].content)),
		}
	);
}

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

interface ChatTool {
	type: string;
	function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** A request the server received, parsed. */
export interface ChatRequest {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: {
		model?: string;
		stream?: boolean;
		messages: ChatMessage[];
		tools?: ChatTool[];
		[key: string]: unknown;
	};
	/** How it was answered: 'tool-call', 'final' or an error. */
	answered: string;
	streamed: boolean;
}

export interface ScriptedOpenAi {
	/** e.g. http://127.0.0.1:PORT/v1, the credential's Base URL. */
	baseUrl: string;
	apiKey: string;
	requests: ChatRequest[];
	close(): Promise<void>;
}

const textOf = (content: unknown): string =>
	typeof content === 'string'
		? content
		: Array.isArray(content)
			? content
					.map((part: { text?: string }) => (typeof part?.text === 'string' ? part.text : ''))
					.join('')
			: JSON.stringify(content ?? '');

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/**
 * An OpenAI-compatible Chat Completions server with a scripted conversation: it answers each
 * `POST /v1/chat/completions` with the script's next tool call while there is one (one call a
 * turn), then a final message: a fixed script's built from the last tool result, a reactive
 * script's from the whole conversation. Speaks both plain JSON and server-sent events (`stream: true`),
 * as the caller asks. `GET /v1/models` lists one model. Only on 127.0.0.1.
 */
export async function startScriptedOpenAi(
	script: ModelScript,
	apiKey = 'sk-scripted-openai',
): Promise<ScriptedOpenAi> {
	const requests: ChatRequest[] = [];
	let calls = 0;

	const server: Server = createServer((req, res) => {
		void (async () => {
			const raw = await readBody(req);
			const path = (req.url ?? '').split('?')[0];
			if (req.headers.authorization !== `Bearer ${apiKey}`) {
				sendJson(res, 401, {
					error: { message: 'Incorrect API key', type: 'invalid_request_error' },
				});
				return;
			}
			if (req.method === 'GET' && path === '/v1/models') {
				sendJson(res, 200, {
					object: 'list',
					data: [{ id: 'scripted-model', object: 'model', created: 0, owned_by: 'e2e' }],
				});
				return;
			}
			if (req.method !== 'POST' || path !== '/v1/chat/completions') {
				sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
				return;
			}
			const body = JSON.parse(raw) as ChatRequest['body'];
			const streamed = body.stream === true;
			const record: ChatRequest = { path, headers: req.headers, body, answered: '', streamed };
			requests.push(record);
			const model = body.model ?? 'scripted-model';

			let message: {
				role: 'assistant';
				content: string | null;
				tool_calls?: Array<{
					id: string;
					type: 'function';
					function: { name: string; arguments: string };
				}>;
			};
			let finishReason: 'stop' | 'tool_calls';
			const next = nextTurn(script, body.messages);
			if ('tool' in next) {
				const tool = (body.tools ?? []).find((candidate) =>
					next.tool.test(candidate.function?.name ?? ''),
				);
				if (!tool) {
					record.answered = 'error: no matching tool offered';
					sendJson(res, 400, {
						error: {
							message: `scripted model: no tool matching ${next.tool} among ${JSON.stringify(
								(body.tools ?? []).map((candidate) => candidate.function?.name),
							)}`,
						},
					});
					return;
				}
				record.answered = 'tool-call';
				message = {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: `call_${++calls}`,
							type: 'function',
							function: {
								name: tool.function.name,
								arguments: JSON.stringify(next.arguments),
							},
						},
					],
				};
				finishReason = 'tool_calls';
			} else {
				record.answered = 'final';
				message = {
					role: 'assistant',
					content: next.final,
				};
				finishReason = 'stop';
			}

			const id = `chatcmpl-${requests.length}`;
			const created = Math.floor(Date.now() / 1000);
			const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
			if (!streamed) {
				sendJson(res, 200, {
					id,
					object: 'chat.completion',
					created,
					model,
					choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
					usage,
				});
				return;
			}
			res.writeHead(200, {
				'content-type': 'text/event-stream',
				'cache-control': 'no-cache',
				connection: 'keep-alive',
			});
			const chunk = (delta: unknown, finish: string | null, extra: object = {}) =>
				res.write(
					`data: ${JSON.stringify({
						id,
						object: 'chat.completion.chunk',
						created,
						model,
						choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
						...extra,
					})}\n\n`,
				);
			chunk({ role: 'assistant', content: message.tool_calls ? null : '' }, null);
			if (message.tool_calls) {
				const [call] = message.tool_calls;
				chunk(
					{
						tool_calls: [
							{
								index: 0,
								id: call.id,
								type: 'function',
								function: { name: call.function.name, arguments: '' },
							},
						],
					},
					null,
				);
				chunk(
					{ tool_calls: [{ index: 0, function: { arguments: call.function.arguments } }] },
					null,
				);
			} else {
				// The text in two pieces, as a real stream would.
				const text = message.content ?? '';
				const half = Math.floor(text.length / 2);
				chunk({ content: text.slice(0, half) }, null);
				chunk({ content: text.slice(half) }, null);
			}
			chunk({}, finishReason);
			const options = body.stream_options as { include_usage?: boolean } | undefined;
			if (options?.include_usage)
				res.write(
					`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`,
				);
			res.end('data: [DONE]\n\n');
		})().catch((error: unknown) => {
			if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
			else res.destroy();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		apiKey,
		requests,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
