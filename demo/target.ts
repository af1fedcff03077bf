/**
 * Where the demo sends its jobs: the simulator, unless the run asks for CometAPI itself with
 * `--real` (real, billed jobs). A COMETAPI_KEY alone never bills: a key exported for something
 * else must not turn `npm run demo` into two paid jobs.
 */
export type DemoTarget =
	| { kind: 'simulator'; /** Said once when a key was set but not used. */ note?: string }
	| { kind: 'cometapi'; apiKey: string; baseUrl: string };

export const REAL_FLAG = '--real';

/** An unset, empty or blank COMETAPI_KEY means "no key". Throws on a run it cannot make. */
export function demoTarget(
	env: Record<string, string | undefined>,
	args: readonly string[] = [],
): DemoTarget {
	const unknown = args.filter((arg) => arg !== REAL_FLAG);
	if (unknown.length > 0)
		throw new Error(
			`npm run demo: unknown argument ${unknown.join(' ')} (the only one is ${REAL_FLAG})`,
		);
	const apiKey = env.COMETAPI_KEY?.trim();
	if (!args.includes(REAL_FLAG)) {
		if (!apiKey) return { kind: 'simulator' };
		return {
			kind: 'simulator',
			note: `COMETAPI_KEY is set but not used: this run uses the simulator. For real, billed jobs on CometAPI: npm run demo -- ${REAL_FLAG}`,
		};
	}
	if (!apiKey)
		throw new Error(
			`npm run demo -- ${REAL_FLAG} makes real, billed jobs on CometAPI and needs your key: export COMETAPI_KEY=<your key> and run again (without ${REAL_FLAG} the demo uses the simulator)`,
		);
	return {
		kind: 'cometapi',
		apiKey,
		baseUrl: env.COMETAPI_BASE_URL?.trim() || 'https://api.cometapi.com',
	};
}
