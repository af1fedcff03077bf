import type { ReactiveScript, ScriptedToolCall, ToolTurn } from '../../dev/n8n-cli/scripted-openai';

/**
 * The scripted model of the two-tool agent (examples/agent-two-tools.json), written the way the
 * example's system message asks a model to work: start each video once, check every id until it
 * has ended, rewrite and restart a prompt a safety filter refused (once), then answer with the
 * URLs. It also makes one more start at the end, which the spend limit must refuse.
 */

/** The simulator refuses a prompt with this word (see the test's script). */
export const REFUSED_WORD = 'gore';

export const PROMPTS = {
	fox: 'A red fox bounds through fresh powder snow at dawn, low tracking shot, warm golden light',
	arena: `Two gladiators fight in a Roman arena, ${REFUSED_WORD} on the sand, handheld close-up`,
	arenaRewritten:
		'Two gladiators duel in a sunlit Roman arena, swords clashing, dust rising, wide crane shot',
	/** The fourth start, over Max Estimated Spend per Execution. */
	extra: 'A hummingbird hovers at a red flower, macro slow motion',
};

/** A Check Video answer or a Start Video answer, as the model reads it. */
export interface ReadAnswer {
	id?: string;
	status?: string;
	videoUrl?: string;
	failureKind?: string;
	/** n8n's or the node's error text, when there is one. */
	error?: string;
}

/** The first item of a tool's answer: n8n sends the items' json as a JSON list (or an error). */
export function firstAnswer(result: string): Record<string, unknown> {
	let value: unknown = result;
	// A tool message's content may be the JSON text, or that text JSON-encoded once more.
	for (let depth = 0; depth < 2 && typeof value === 'string'; depth++) {
		try {
			value = JSON.parse(value);
		} catch {
			return { error: value };
		}
	}
	const first: unknown = Array.isArray(value) ? value[0] : value;
	return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
}

/**
 * What an answer says, read like a model would: the contract's fields first (id, status,
 * video_url, failure.kind), else today's (an error item's details, its prose).
 */
export function readAnswer(result: string): ReadAnswer {
	const json = firstAnswer(result);
	const details = (json.details ?? {}) as Record<string, unknown>;
	const failure = json.failure as { kind?: unknown } | null | undefined;
	const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
	return {
		id: text(json.id) ?? text(details.id) ?? /(task_[A-Za-z0-9_-]+)/.exec(result)?.[1],
		status: text(json.status) ?? text(details.status),
		videoUrl: text(json.video_url),
		failureKind: text(failure?.kind),
		error: text(json.error) ?? text(failure && (failure as { message?: unknown }).message),
	};
}

/** A check says the job has ended: finished, or failed for good (not still running). */
function hasEnded(answer: ReadAnswer): boolean {
	if (answer.failureKind) return answer.failureKind !== 'timed_out';
	return ['completed', 'failed', 'cancelled'].includes(answer.status ?? '') || !!answer.error;
}

/** A check says a safety or content filter refused the job. */
export function wasRefused(answer: ReadAnswer): boolean {
	if (answer.failureKind) return answer.failureKind === 'content_refused';
	return answer.status === 'failed' && /policy|safety|moderat/i.test(answer.error ?? '');
}

const isStart = (turn: ToolTurn) => /start/i.test(turn.tool);
const isCheck = (turn: ToolTurn) => /check/i.test(turn.tool);
const start = (prompt: string): ScriptedToolCall => ({ tool: /start/i, arguments: { prompt } });
const check = (id: string): ScriptedToolCall => ({ tool: /check/i, arguments: { task_id: id } });

/** The agent's plan, step by step from what the tools answered so far. */
export function twoToolsScript(): ReactiveScript {
	return {
		next(history) {
			// A model that loops forever would hang the test: give up loudly instead.
			if (history.length > 40) return { final: 'GAVE UP after 40 tool calls' };
			const started = new Map<string, string | undefined>();
			for (const turn of history.filter(isStart))
				started.set(String(turn.arguments.prompt), readAnswer(turn.result).id);
			const checks = history.filter(isCheck).map((turn) => ({
				id: String(turn.arguments.task_id),
				answer: readAnswer(turn.result),
			}));
			const lastCheck = (id: string) => checks.filter((entry) => entry.id === id).at(-1);

			for (const prompt of [PROMPTS.fox, PROMPTS.arena])
				if (!started.has(prompt)) return start(prompt);
			const arenaId = started.get(PROMPTS.arena);
			const arenaEnd = arenaId ? lastCheck(arenaId)?.answer : undefined;
			if (arenaEnd && wasRefused(arenaEnd) && !started.has(PROMPTS.arenaRewritten))
				return start(PROMPTS.arenaRewritten);

			// Every started job with an id that has not ended, the least recently checked first.
			const open = [...started.values()]
				.filter((id): id is string => !!id)
				.filter((id) => {
					const last = lastCheck(id);
					return !last || !hasEnded(last.answer);
				})
				.sort((a, b) => lastIndexOf(checks, a) - lastIndexOf(checks, b));
			if (open.length > 0) return check(open[0]);

			if (!started.has(PROMPTS.extra)) return start(PROMPTS.extra);
			const urls = [...started.values()]
				.map((id) => (id ? lastCheck(id)?.answer.videoUrl : undefined))
				.filter((url): url is string => !!url);
			const extra = history.filter(isStart).at(-1)!;
			return {
				final: `Your videos are ready: ${urls.join(' and ')}. I could not start a third one: ${
					readAnswer(extra.result).error ?? extra.result
				}`,
			};
		},
	};
}

function lastIndexOf(checks: Array<{ id: string }>, id: string): number {
	for (let index = checks.length - 1; index >= 0; index--)
		if (checks[index].id === id) return index;
	return -1;
}
