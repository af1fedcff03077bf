import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The running sum of the estimated spend of one node over one execution. It lives in n8n's node
 * context (`getContext('node')`), an object of the execution's own run data keyed by the node's
 * name: every run of the node in the execution (a second input batch, a loop, each tool call
 * of an AI Agent) sees the same sum; a new execution starts from nothing; n8n saves it with the
 * execution, so it outlasts a Wait node's resume and goes with the execution in queue mode.
 */
export interface SpendLedger {
	/** What runs of this node in this execution have reserved and not given back. */
	used(): { amount: number; currency: string | null };
	/**
	 * Adds to the sum. The caller checks `used()` and reserves with no await in between, so two
	 * runs that overlap (an agent's parallel tool calls) cannot both pass on the same sum.
	 */
	reserve(amount: number, currency: string | null): void;
	/** Gives back the share of a job CometAPI certainly did not take. */
	release(amount: number): void;
}

const KEY = 'cometApiVeoEstimatedSpend';

/** Kept in millionths of the currency, so a sum over many runs does not drift. */
const UNIT = 1e6;

interface Stored {
	micros: number;
	currency: string | null;
}

function isStored(value: unknown): value is Stored {
	const stored = value as Stored | undefined;
	return (
		typeof stored?.micros === 'number' &&
		Number.isFinite(stored.micros) &&
		(typeof stored.currency === 'string' || stored.currency === null)
	);
}

/**
 * This node's ledger for the execution. A context without n8n's node context (a test's fake)
 * gets one for this run alone, which bounds the run as the limit did before it held per execution.
 */
export function spendLedger(ctx: IExecuteFunctions): SpendLedger {
	const context: Record<string, unknown> =
		'getContext' in ctx && typeof ctx.getContext === 'function' ? ctx.getContext('node') : {};
	const read = (): Stored => {
		const stored = context[KEY];
		return isStored(stored) ? stored : { micros: 0, currency: null };
	};
	return {
		used() {
			const { micros, currency } = read();
			return { amount: micros / UNIT, currency };
		},
		reserve(amount, currency) {
			const stored = read();
			context[KEY] = {
				micros: stored.micros + Math.round(amount * UNIT),
				currency: stored.currency ?? currency,
			};
		},
		release(amount) {
			const stored = read();
			context[KEY] = {
				...stored,
				micros: Math.max(0, stored.micros - Math.round(amount * UNIT)),
			};
		},
	};
}
