import {
	classifyHttpRefusal,
	type FailureKind,
} from '../../../nodes/CometApiVeo/cometapi/failure-kind';

// CometAPI's error envelope, with the request id it appends (one that spells nothing).
const envelope = (message: string, code = '', type = 'comet_api_error') => ({
	error: { message: `${message} (request id: 2026120417ab9QxRAI)`, type, param: '', code },
});

describe('an HTTP refusal from CometAPI', () => {
	it.each<[number, unknown, FailureKind, boolean]>([
		[
			400,
			envelope('Content policy violation', 'content_policy_violation'),
			'content_refused',
			false,
		],
		[
			400,
			envelope("This prompt contains words that violate Vertex AI's usage guidelines."),
			'content_refused',
			false,
		],
		[
			422,
			{
				detail: [
					{
						msg: 'The content was flagged by a content checker.',
						type: 'content_policy_violation',
					},
				],
			},
			'content_refused',
			false,
		],
		[
			422,
			{ detail: [{ msg: 'x', type: 'value_error', categories: ['sexual'] }] },
			'content_refused',
			false,
		],
		[400, { error: 'moderation_blocked' }, 'content_refused', false],
		[400, { message: 'Request blocked by safety filters' }, 'content_refused', false],
		[400, 'prompt flagged as unsafe', 'content_refused', false],
		[400, envelope('size must be one of 16x9, 9x16', 'invalid_request'), 'invalid_request', false],
		[
			400,
			envelope('seconds 6 is not supported by veo3-fast', 'invalid_request'),
			'invalid_request',
			false,
		],
		[
			400,
			envelope('enable_safety_checker cannot be disabled for this model'),
			'invalid_request',
			false,
		],
		[
			400,
			envelope('safety_filter_level must be one of block_few, block_some'),
			'invalid_request',
			false,
		],
		[404, envelope('Task task_x not found', 'task_not_found'), 'invalid_request', false],
		[
			422,
			{ detail: [{ msg: 'image_url must be a real URL', type: 'value_error' }] },
			'invalid_request',
			false,
		],
		[405, envelope('Method not allowed'), 'invalid_request', false],
		[500, envelope('malformed multipart body', 'invalid_request'), 'invalid_request', false],
		[
			500,
			envelope('prompt violates the content policy', 'invalid_request'),
			'content_refused',
			false,
		],
		[401, envelope('Invalid token', 'invalid_api_key'), 'auth_failed', false],
		[403, envelope('You are not allowed to use this model', 'forbidden'), 'auth_failed', false],
		[403, envelope('Your account is blocked'), 'auth_failed', false],
		[
			403,
			envelope('Request refused by the content policy', 'content_policy_violation'),
			'content_refused',
			false,
		],
		[429, envelope('Rate limit reached', 'rate_limit_exceeded'), 'rate_limited', true],
		[429, envelope('moderation queue is full'), 'rate_limited', true],
		[408, envelope('Request timeout'), 'upstream_failed', true],
		[500, envelope('Internal server error', 'internal_error'), 'upstream_failed', true],
		[502, envelope('Bad gateway', 'invalid_request'), 'upstream_failed', true],
		[503, envelope('content policy service timed out'), 'upstream_failed', true],
		[503, envelope('prompt violates the content policy'), 'upstream_failed', true],
		[524, '<html>timeout</html>', 'upstream_failed', true],
	])('%i %j is %s', (status, body, kind, retryable) => {
		expect(classifyHttpRefusal(status, body)).toMatchObject({ kind, retryable });
	});

	it('a status that is no error, or no status, is upstream_failed and not retryable', () => {
		for (const status of [200, 301, 0, NaN, 600, 400.5]) {
			expect(classifyHttpRefusal(status, envelope('content policy'))).toEqual({
				kind: 'upstream_failed',
				retryable: false,
			});
		}
	});

	it('takes any body: nothing, junk, nesting, a huge text', () => {
		for (const body of [undefined, null, 7, [], { error: { message: { a: 1 } } }, { detail: 5 }]) {
			expect(classifyHttpRefusal(400, body)).toEqual({ kind: 'invalid_request', retryable: false });
		}
		expect(classifyHttpRefusal(400, `${'a '.repeat(2_000_000)}moderation`)).toMatchObject({
			kind: 'invalid_request',
		});
	});

	it('says which word decided a refusal', () => {
		expect(classifyHttpRefusal(400, envelope('Blocked by our moderation system'))).toEqual({
			kind: 'content_refused',
			retryable: false,
			word: 'moderation',
		});
	});
});
