import {
	classifyTaskFailure,
	FAILURE_KINDS,
	failureOf,
	type FailureKind,
} from '../../../nodes/CometApiVeo/cometapi/failure-kind';
import { wordsOf } from '../../../nodes/CometApiVeo/cometapi/failure-words';

describe('the kinds and their documentation', () => {
	it('documents every kind of the contract with what happened and what to do next', () => {
		const kinds: FailureKind[] = [
			'content_refused',
			'invalid_request',
			'auth_failed',
			'rate_limited',
			'spend_limit',
			'in_doubt',
			'upstream_failed',
			'timed_out',
			'download_failed',
			'stopped',
		];
		expect(Object.keys(FAILURE_KINDS).sort()).toEqual([...kinds].sort());
		for (const kind of kinds) {
			const doc = FAILURE_KINDS[kind];
			expect(doc.happened).toMatch(/\.$/);
			expect(doc.next).toMatch(/\.$/);
			expect(doc.happened.length + doc.next.length).toBeLessThan(240);
		}
		expect(
			Object.entries(FAILURE_KINDS)
				.filter(([, doc]) => doc.retryable)
				.map(([kind]) => kind)
				.sort(),
		).toEqual(['download_failed', 'rate_limited', 'stopped', 'timed_out']);
	});

	it('failureOf builds the item field from a classification and the error text', () => {
		expect(failureOf(classifyTaskFailure({ error: 'Content policy' }), 'CometAPI: x')).toEqual({
			kind: 'content_refused',
			retryable: false,
			message: 'CometAPI: x',
		});
	});
});

describe('a task that ended failed', () => {
	const POLICY = 'Content policy violation: the prompt was rejected';

	it.each<[string, Record<string, unknown>]>([
		[
			'error object',
			{ status: 'failed', error: { code: 'content_policy_violation', message: 'x' } },
		],
		[
			'error object, words in the message only',
			{ error: { code: 'task_failed', message: POLICY } },
		],
		['error string', { status: 'failed', error: POLICY }],
		['fail_reason', { status: 'failed', fail_reason: POLICY }],
		['failure_reason', { status: 'FAILED', failure_reason: POLICY }],
		[
			'status error',
			{ status: 'error', error: { code: 'content_policy_violation', message: POLICY } },
		],
		['inside a data object', { data: { status: 'failed', fail_reason: POLICY } }],
		['inside a data list', { data: [{ status: 'failed', error: { message: POLICY } }] }],
		['fail_code and fail_msg', { fail_code: 'task_failed', fail_msg: POLICY }],
	])('reads the %s shape', (_name, raw) => {
		expect(classifyTaskFailure(raw)).toMatchObject({ kind: 'content_refused', retryable: false });
	});

	it.each([
		// Google Veo and Vertex AI
		"The prompt could not be submitted. This prompt contains words that violate Vertex AI's usage guidelines. Support codes: 29310472",
		"Veo could not generate videos because the input image violates Vertex AI's usage guidelines. Support codes: 15236754",
		'The prompt could not be submitted: it might violate our policies.',
		'Gemini filtered the generated media.',
		'Gemini blocked the request due to safety reasons',
		'Video blocked by Responsible AI (RAI) filters',
		'RAI filtered: 1 video',
		'Sorry, we cannot generate photorealistic children. Please try a different prompt.',
		'Person generation is not allowed for this project (allowlist required).',
		'The request depicts a celebrity or public figure.',
		'PROHIBITED_CONTENT',
		'GENERATED_VIDEO_SAFETY',
		// OpenAI (images, Sora), fal, Kling, Runway
		'Your request was rejected by the safety system.',
		'Your request was blocked by our moderation system.',
		'moderation_blocked',
		'input_moderation',
		'The content was flagged by a content checker.',
		'Failure to pass the risk control system',
		'SAFETY.INPUT.TEXT',
		'NSFW content detected',
		'contentPolicyViolation',
		// Chinese relays
		'提示词包含敏感词,请修改后重试',
		'内容违规',
	])('a refusal in the words %j is content_refused', (reason) => {
		expect(classifyTaskFailure({ status: 'failed', fail_reason: reason })).toMatchObject({
			kind: 'content_refused',
			retryable: false,
		});
	});

	it("Google's RAI fields passed through make it content_refused, with any reason or none", () => {
		const cases = [
			{ raiMediaFilteredCount: 1, raiMediaFilteredReasons: ['58061214'] },
			{ response: { raiMediaFilteredReasons: ['VIOLENCE', 'SEXUALLY_EXPLICIT'] } },
			{ response: { generateVideoResponse: { raiMediaFilteredCount: 2 } } },
			{ data: { rai_media_filtered_reasons: ['a person was shown'] } },
		];
		for (const raw of cases) {
			expect(classifyTaskFailure({ status: 'failed', ...raw })).toMatchObject({
				kind: 'content_refused',
			});
		}
		expect(
			classifyTaskFailure({
				status: 'failed',
				raiMediaFilteredCount: 0,
				raiMediaFilteredReasons: [],
			}),
		).toMatchObject({ kind: 'upstream_failed' });
	});

	it('an invalid-request code is invalid_request', () => {
		for (const code of ['invalid_request', 'INVALID_ARGUMENT', 'invalidParameter', 'bad_request']) {
			expect(classifyTaskFailure({ error: { code, message: 'bad image' } })).toEqual({
				kind: 'invalid_request',
				retryable: false,
			});
		}
	});

	it.each<[string, unknown]>([
		[
			'unknown words',
			{ status: 'failed', error: { code: 'task_failed', message: 'Generation failed' } },
		],
		['no reason at all', { status: 'failed' }],
		['an internal error', { status: 'failed', fail_reason: 'internal error, please retry' }],
		[
			'the filter itself timed out',
			{ status: 'failed', fail_reason: 'content policy service timed out' },
		],
		['moderation service unavailable', { error: 'Moderation service temporarily unavailable' }],
		['not an object', 'failed'],
		['null', null],
		['a list', [{ error: 'content policy' }]],
	])('%s is the safe default upstream_failed, not retryable', (_name, raw) => {
		expect(classifyTaskFailure(raw)).toEqual({ kind: 'upstream_failed', retryable: false });
	});

	it.each([
		'raise the brightness failed',
		'brain train rain drain: render failed',
		'moderately complex scene failed to render',
		'unblocked queue, unfiltered output, unflagged: generation failed',
		'safetynet pipeline crashed',
		'policyholder video failed',
		'the prohibit flag was unset', // "prohibit" is not "prohibited"
		'cached_blockedness_metric overflow',
		'inspector: invalid frame', // not "nsfw", not "rai"
	])('a policy word inside another word does not count: %j', (reason) => {
		expect(classifyTaskFailure({ status: 'failed', fail_reason: reason })).toMatchObject({
			kind: 'upstream_failed',
		});
	});

	it('category names count as codes, not in prose', () => {
		expect(classifyTaskFailure({ error: { code: 'VIOLENCE', message: 'x' } })).toMatchObject({
			kind: 'content_refused',
		});
		expect(
			classifyTaskFailure({ fail_reason: 'a hate crime documentary failed to render' }),
		).toMatchObject({ kind: 'upstream_failed' });
	});

	it('a random request id never spells a word', () => {
		expect(wordsOf('Generation failed (request id: abRAI)')).toBe(' generation failed ');
		expect(
			classifyTaskFailure({ fail_reason: 'Generation failed (request id: xSafetyRAIq)' }),
		).toMatchObject({ kind: 'upstream_failed' });
	});

	it('ignores junk where text is expected and stays bounded on huge answers', () => {
		const junk = [
			{ error: 42 },
			{ error: { code: { nested: 'content_policy' }, message: ['content policy'] } },
			{ fail_reason: { deep: { deeper: 'moderation' } } },
			{ error: true, fail_reason: NaN, data: 'moderation' },
			{ raiMediaFilteredCount: 'many' },
		];
		for (const raw of junk) {
			expect(classifyTaskFailure(raw)).toEqual({ kind: 'upstream_failed', retryable: false });
		}
		expect(classifyTaskFailure({ error: { code: 3, message: 'bad' } })).toMatchObject({
			kind: 'upstream_failed',
		});
		// A word after the bounded slice is not read; one within it is.
		const filler = 'x '.repeat(5_000_000);
		expect(classifyTaskFailure({ fail_reason: `${filler} moderation` })).toMatchObject({
			kind: 'upstream_failed',
		});
		expect(classifyTaskFailure({ fail_reason: `moderation ${filler}` })).toMatchObject({
			kind: 'content_refused',
		});
		const reasons = Array.from({ length: 1_000_000 }, () => 'ok');
		expect(classifyTaskFailure({ raiMediaFilteredReasons: reasons })).toMatchObject({
			kind: 'content_refused',
		});
	});
});
