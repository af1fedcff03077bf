import type { RawServer } from './raw-server';

/**
 * The raw servers a describe block starts: push each one onto the returned list, and it is
 * closed after the test that started it.
 */
export function useRawServers(): RawServer[] {
	const servers: RawServer[] = [];
	afterEach(
		async () => await Promise.all(servers.splice(0).map(async (server) => await server.close())),
	);
	return servers;
}
