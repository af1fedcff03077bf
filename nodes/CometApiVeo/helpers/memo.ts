/** Answers kept for a while across runs (CometAPI's model catalogue), by key. */
export type Memo = Map<string, { at: number; ttlMs: number; value: Promise<unknown> }>;

/** How long `remember` keeps an answer, and a failure to get one. */
export interface MemoTimes {
	okMs: number;
	/** A failed load is kept this long from when it failed, so callers do not pay for it again. */
	failedMs: number;
}

/**
 * `load()`'s answer, kept on the runtime's clock: an answer for `okMs`, a failure for
 * `failedMs` (unless `keepFailure` says it was the caller's own stop, not the source's fault).
 */
export async function remember<T>(
	runtime: { clock: { now(): number }; memo: Memo },
	key: string,
	times: MemoTimes,
	load: () => Promise<T>,
	keepFailure: () => boolean = () => true,
): Promise<T> {
	const now = runtime.clock.now();
	const kept = runtime.memo.get(key);
	if (kept && now - kept.at < kept.ttlMs) return (await kept.value) as T;
	const value = load();
	const entry = { at: now, ttlMs: times.okMs, value: value as Promise<unknown> };
	runtime.memo.set(key, entry);
	value.catch(() => {
		// A newer load may have taken its place meanwhile: that one is left alone.
		if (runtime.memo.get(key) !== entry) return;
		if (!keepFailure()) {
			runtime.memo.delete(key);
			return;
		}
		entry.at = runtime.clock.now();
		entry.ttlMs = times.failedMs;
	});
	return await value;
}
