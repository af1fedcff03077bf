import { sleep } from 'n8n-workflow';

import type { Memo } from '../helpers/memo';

/** Time as the node sees it. Tests hand the router a faster one; nothing reads a global. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Bounds on the wire that are not user options. */
export interface Limits {
	/** An API request with no answer for this long fails (n8n's own default is 300 s). */
	requestTimeoutMs: number;
	/** A video download that receives no byte for this long fails, and is retried. */
	downloadStallMs: number;
	/** The whole fetch of one image URL: every attempt, redirect and retry wait together. */
	imageFetchMs: number;
	/** The whole read of CometAPI's model catalogue, body included (CATALOGUE_READ_MS). */
	catalogueReadMs: number;
}

/**
 * The shipped bound on fetching one image URL. Images are at most 20 MB; one that drips in
 * slower than this would otherwise hold its item, and the batch, for minutes before its create.
 */
export const MAX_IMAGE_FETCH_MS = 60_000;

/** The shipped bound of a catalogue read: past it the run goes on without a cost estimate. */
export const CATALOGUE_READ_MS = 5_000;

export interface Runtime {
	clock: Clock;
	limits: Limits;
	/** Answers kept for a while across runs (CometAPI's model catalogue), by key. */
	memo: Memo;
}

export function throwIfAborted(signal: AbortSignal): void {
	if (signal.aborted) {
		throw signal.reason instanceof Error ? signal.reason : new Error('The execution was stopped');
	}
}

/**
 * n8n-workflow's sleep, ended at once by the signal. Its 2.x version stops on the signal itself;
 * 1.x's takes no signal and would sleep on, so the abort is raced here too.
 */
async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
	throwIfAborted(signal);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			try {
				throwIfAborted(signal);
			} catch (error) {
				reject(error as Error);
			}
		};
		signal.addEventListener('abort', onAbort, { once: true });
		sleep(ms, signal).then(
			() => {
				signal.removeEventListener('abort', onAbort);
				resolve();
			},
			(error: Error) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

export const SYSTEM_RUNTIME: Runtime = {
	clock: { now: () => Date.now(), sleep: abortableSleep },
	limits: {
		requestTimeoutMs: 120_000,
		downloadStallMs: 60_000,
		imageFetchMs: MAX_IMAGE_FETCH_MS,
		catalogueReadMs: CATALOGUE_READ_MS,
	},
	memo: new Map(),
};

/** What every request made for one job needs: who it is for and when to stop. */
export interface Scope {
	itemIndex: number;
	/** The execution's cancel signal joined with the batch's own failure: stops every wait. */
	signal: AbortSignal;
	/**
	 * The execution's cancel signal alone. A create already on the wire is not abandoned when
	 * another item fails: CometAPI may accept it, and its id must then reach the error.
	 */
	cancelSignal: AbortSignal;
	runtime: Runtime;
}
