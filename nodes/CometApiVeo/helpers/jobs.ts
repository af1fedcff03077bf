/**
 * Runs `count` jobs with at most `limit` in flight, results in input order. Once `shouldStop`
 * says so, no new job starts, but those in flight finish: they may hold accepted (billed) ids.
 */
export async function runBounded<T>(
	count: number,
	limit: number,
	run: (index: number) => Promise<T>,
	shouldStop: () => boolean = () => false,
): Promise<Array<T | undefined>> {
	const results: Array<T | undefined> = new Array(count);
	let next = 0;
	async function worker(): Promise<void> {
		while (next < count && !shouldStop()) {
			const index = next++;
			results[index] = await run(index);
		}
	}
	const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, async () => await worker());
	await Promise.all(workers);
	return results;
}
