/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports -- loads n8n-core's own network packages to produce n8n's real errors */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { dirname } from 'node:path';
import { NodeApiError } from 'n8n-workflow';

import { PolicyRefusal, policyRefusalOf } from '../../../nodes/CometApiVeo/transport/egress-policy';

// n8n-core 2.41.1's own copies (not the top-level ones, which are other versions).
const coreDir = dirname(require.resolve('n8n-core/package.json'));
const networkPath = require.resolve('@n8n/backend-network', { paths: [coreDir] });
const network = require(networkPath) as {
	SsrfProtectionService: new (
		config: object,
		dns: object,
		logger: object,
	) => {
		createSecureLookup(): LookupFunction;
	};
	SsrfBlockedIpError: new (ip: string, hostname?: string) => Error;
	SsrfBlockedHostnameError: new (hostname: string) => Error;
};
const axios = require(require.resolve('axios', { paths: [dirname(networkPath)] })) as {
	get(url: string, options: object): Promise<unknown>;
};

const logger = { scoped: () => logger, warn() {}, debug() {} };

/**
 * n8n's policy as its socket lookup applies it (the lookup n8n's agents use), with a DNS that
 * answers a private address: the refusal arrives wrapped by axios, as a connect-time refusal does.
 */
async function refusedAtLookup(url: string): Promise<unknown> {
	const ssrf = new network.SsrfProtectionService(
		{
			blockedIpRanges: ['10.0.0.0/8'],
			allowedIpRanges: [],
			allowedHostnames: [],
			blockedHostnames: [],
		},
		{ lookup: async () => [{ address: '10.1.2.3', family: 4 }] },
		logger,
	);
	const agent = new Agent({ lookup: ssrf.createSecureLookup() });
	try {
		await axios.get(url, { httpAgent: agent, proxy: false });
	} catch (error) {
		return error;
	}
	throw new Error('the request was not refused');
}

describe("n8n's SSRF refusals are recognised by name, however they are wrapped", () => {
	it('from the socket lookup, wrapped by axios: a hostname that resolves to a blocked address', async () => {
		const url = 'http://rebound.example/v.mp4?sig=secret';
		const error = await refusedAtLookup(url);
		expect((error as Error).name).not.toBe('PolicyRefusal');
		const refusal = policyRefusalOf(error, url);
		expect(refusal).toBeInstanceOf(PolicyRefusal);
		expect(refusal?.message).toBe(
			"the n8n instance's SSRF protection refused it: rebound.example resolves to 10.1.2.3, which is in a blocked IP range (N8N_SSRF_BLOCKED_IP_RANGES); an n8n administrator can allow it by adding rebound.example to N8N_SSRF_ALLOWED_HOSTNAMES or 10.1.2.3/32 to N8N_SSRF_ALLOWED_IP_RANGES",
		);
	});

	it('wrapped by n8n-workflow in a NodeApiError (httpRequestWithAuthentication does so)', () => {
		const node = {
			id: '1',
			name: 'Veo',
			type: 't',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const wrapped = new NodeApiError(
			node as never,
			new network.SsrfBlockedHostnameError('files.example') as never,
		);
		expect(policyRefusalOf(wrapped, 'https://files.example/a.png')?.message).toBe(
			"the n8n instance's SSRF protection refused it: files.example is in N8N_SSRF_BLOCKED_HOSTNAMES; an n8n administrator can allow it by adding it to N8N_SSRF_ALLOWED_HOSTNAMES",
		);
	});

	it('an IPv6 literal is named with its /128 range', () => {
		const error = new network.SsrfBlockedIpError('::1');
		expect(policyRefusalOf(error, 'http://[::1]:8080/x')?.message).toMatch(
			/: ::1 is in a blocked IP range \(N8N_SSRF_BLOCKED_IP_RANGES\); an n8n administrator can allow it by adding ::1\/128 to N8N_SSRF_ALLOWED_IP_RANGES$/,
		);
	});

	it('other failures are not refusals, and a cause chain that loops ends', () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		expect(policyRefusalOf(refused, 'http://127.0.0.1/')).toBeUndefined();
		const looped = new Error('outer') as Error & { cause?: unknown };
		looped.cause = { name: 'Error', cause: looped };
		expect(policyRefusalOf(looped, 'http://127.0.0.1/')).toBeUndefined();
	});
});
