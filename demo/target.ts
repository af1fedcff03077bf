/** Where the demo sends its jobs: CometAPI itself when a key is given, else the simulator. */
export interface DemoTarget {
	kind: 'cometapi' | 'simulator';
	/** Set for CometAPI only; the simulator brings its own key and URL. */
	apiKey?: string;
	baseUrl?: string;
}

/** An unset, empty or blank COMETAPI_KEY means "no key": the simulator. */
export function demoTarget(env: Record<string, string | undefined>): DemoTarget {
	const apiKey = env.COMETAPI_KEY?.trim();
	if (!apiKey) return { kind: 'simulator' };
	return {
		kind: 'cometapi',
		apiKey,
		baseUrl: env.COMETAPI_BASE_URL?.trim() || 'https://api.cometapi.com',
	};
}
