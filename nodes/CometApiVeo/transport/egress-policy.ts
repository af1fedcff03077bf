import { safeUrl } from './urls';

/**
 * n8n 2.x's instance SSRF policy (N8N_SSRF_PROTECTION_ENABLED, off by default; n8n 1.x has
 * none). `httpRequest` applies it to every request and so to every hop the node follows by
 * hand; a refused destination fails with n8n's SsrfBlockedIpError or SsrfBlockedHostnameError,
 * thrown as it is by the check before the request, wrapped by httpRequestWithAuthentication
 * (NodeApiError) or by axios when the socket's lookup refuses. They live in n8n's private
 * packages, so they are recognised by name, down the error's cause chain.
 */
interface Blocked {
	kind: 'ip' | 'hostname';
	ip?: string;
}

function blockedBy(error: unknown): Blocked | undefined {
	// The innermost match is n8n's own error: axios's wrapper takes its name but not its fields.
	let found: Blocked | undefined;
	const seen = new Set<unknown>();
	for (let current = error; typeof current === 'object' && current !== null; ) {
		if (seen.has(current)) break;
		seen.add(current);
		const { name, ip, cause } = current as { name?: unknown; ip?: unknown; cause?: unknown };
		if (name === 'SsrfBlockedIpError')
			found = { kind: 'ip', ip: typeof ip === 'string' && ip ? ip : found?.ip };
		if (name === 'SsrfBlockedHostnameError') found = { kind: 'hostname' };
		current = cause;
	}
	return found;
}

/** The URL's host name as the policy matches it: no port, no IPv6 brackets. */
function hostnameOf(url: string): string {
	try {
		return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
	} catch {
		return '';
	}
}

const isIpLiteral = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');

/** Why the policy refused, and the variable that would allow it: for the operator to act on. */
function explain(url: string, blocked: Blocked): string {
	const host = hostnameOf(url);
	if (blocked.kind === 'hostname') {
		return `${host} is in N8N_SSRF_BLOCKED_HOSTNAMES; an n8n administrator can allow it by adding it to N8N_SSRF_ALLOWED_HOSTNAMES`;
	}
	const ip = blocked.ip ?? (isIpLiteral(host) ? host : undefined);
	const range = ip ? `${ip}/${ip.includes(':') ? 128 : 32}` : 'its address range';
	if (isIpLiteral(host)) {
		return `${host} is in a blocked IP range (N8N_SSRF_BLOCKED_IP_RANGES); an n8n administrator can allow it by adding ${range} to N8N_SSRF_ALLOWED_IP_RANGES`;
	}
	const resolved = ip ? `resolves to ${ip}, which is` : 'resolves to an address';
	return `${host} ${resolved} in a blocked IP range (N8N_SSRF_BLOCKED_IP_RANGES); an n8n administrator can allow it by adding ${host} to N8N_SSRF_ALLOWED_HOSTNAMES or ${range} to N8N_SSRF_ALLOWED_IP_RANGES`;
}

/**
 * A request the n8n instance's SSRF policy refused. Final: asking again gets the same answer,
 * and nothing left this machine (the policy decides before connecting), so a refused create
 * was not sent. `url` is the refused hop; `start` the URL the fetch began with.
 */
export class PolicyRefusal extends Error {
	constructor(
		readonly url: string,
		blocked: Blocked,
		start = url,
	) {
		const target = safeUrl(start) === safeUrl(url) ? 'it' : `its redirect to ${safeUrl(url)}`;
		super(`the n8n instance's SSRF protection refused ${target}: ${explain(url, blocked)}`);
		this.name = 'PolicyRefusal';
	}
}

/** The error as a PolicyRefusal of `url` when n8n's SSRF policy caused it; else undefined. */
export function policyRefusalOf(
	error: unknown,
	url: string,
	start?: string,
): PolicyRefusal | undefined {
	if (error instanceof PolicyRefusal) return error;
	const blocked = blockedBy(error);
	return blocked ? new PolicyRefusal(url, blocked, start) : undefined;
}
