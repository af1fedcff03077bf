/**
 * Runs `count` jobs with at most `limit` in flight; each job records its own outcome. Once
 * `shouldStop` says so, no new job starts, but those in flight finish: they may hold accepted
 * (billed) ids.
 */
export async function runBounded(
	count: number,
	limit: number,
	run: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	async function worker(): Promise<void> {
		while (next < count && !shouldStop()) await run(next++);
	}
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, async () => await worker()));
}
