import type { VideoSource } from './types';

/** An answer decided by a route, sent later so that faults can reshape how it goes out. */
export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: VideoSource;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: Buffer.from(JSON.stringify(value)),
	};
}

export function textReply(status: number, text: string, contentType: string, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'content-type': contentType, ...headers }, body: Buffer.from(text) };
}

export function videoReply(video: VideoSource): Reply {
	return { status: 200, headers: { 'content-type': 'video/mp4' }, body: video };
}

/** A raw fault body: JSON when it parses as JSON, plain text otherwise. */
export function rawReply(status: number, body: string, headers: Record<string, string> = {}): Reply {
	return textReply(status, body, looksLikeJson(body) ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', headers);
}

function looksLikeJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}
