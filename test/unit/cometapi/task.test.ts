import {
	isTerminal,
	normaliseStatus,
	normaliseTask,
} from '../../../nodes/CometApiVeo/cometapi/task';

describe('normaliseTask', () => {
	it('maps the documented create answer to the stable fields', () => {
		const raw = {
			created_at: 1773297229,
			id: 'task_pa9',
			model: 'veo_3_1-4K',
			object: 'video',
			progress: 0,
			seconds: '',
			size: '16x9',
			status: 'queued',
		};
		expect(normaliseTask(raw)).toEqual({
			id: 'task_pa9',
			status: 'queued',
			progress: 0,
			model: 'veo_3_1-4K',
			size: '16x9',
			seconds: null,
			created_at: 1773297229,
			completed_at: null,
			video_url: null,
			error: null,
			raw,
		});
	});

	it('takes task_id when id is missing or empty, also inside data, and the fallback id last', () => {
		expect(normaliseTask({ task_id: 'task_b' }).id).toBe('task_b');
		expect(normaliseTask({ id: '', task_id: 'task_b' }).id).toBe('task_b');
		expect(normaliseTask({ code: 'success', data: { task_id: 'task_d' } }).id).toBe('task_d');
		expect(normaliseTask({}, 'task_c').id).toBe('task_c');
		expect(normaliseTask({ id: '  ' }).id).toBe('');
	});

	it('an answer with a failure reason and no status is failed, not something to wait on', () => {
		expect(normaliseTask({ id: 't', error: { message: 'quota exceeded' } }).status).toBe('failed');
		expect(normaliseTask({ id: 't', status: 'in_progress', error: 'transient' }).status).toBe(
			'in_progress',
		);
	});

	it.each([
		[{ video_url: 'https://cdn.example/v.mp4' }],
		[{ url: 'https://cdn.example/v.mp4' }],
		[{ output: 'https://cdn.example/v.mp4' }],
		[{ data: [{ url: 'https://cdn.example/v.mp4' }] }],
		[{ data: { url: 'https://cdn.example/v.mp4' } }],
	])('finds the video URL in %j', (raw) => {
		expect(normaliseTask({ id: 't', ...raw }).video_url).toBe('https://cdn.example/v.mp4');
	});

	it('ignores a URL field that is not an http(s) URL', () => {
		expect(normaliseTask({ id: 't', output: 'mp4' }).video_url).toBeNull();
	});

	it.each([
		[{ error: { code: 'x', message: 'blocked' } }, 'blocked'],
		[{ error: 'blocked' }, 'blocked'],
		[{ fail_reason: 'blocked' }, 'blocked'],
		[{ error: { code: 'policy_violation', message: '' } }, 'policy_violation'],
	])('reads the failure reason of %j', (raw, reason) => {
		expect(normaliseTask({ id: 't', status: 'failed', ...raw }).error).toBe(reason);
	});
});

describe('normaliseStatus', () => {
	it.each([
		['QUEUED', 'queued'],
		['In_Progress', 'in_progress'],
		['processing', 'in_progress'],
		['Succeeded', 'completed'],
		['success', 'completed'],
		['ERROR', 'failed'],
		['canceled', 'cancelled'],
		['finished', 'completed'],
		['expired', 'failed'],
		['timed out', 'failed'],
		['', 'unknown'],
		['paused', 'unknown'],
		['rejected', 'failed'],
		['BLOCKED', 'failed'],
		['moderation_failed', 'failed'],
		['content-policy-violation', 'failed'],
		['Canceled by user', 'cancelled'],
		['timeout', 'failed'],
	])('%s -> %s', (status, expected) => {
		expect(normaliseStatus(status)).toBe(expected);
	});

	it('knows the terminal states', () => {
		expect((['completed', 'failed', 'cancelled'] as const).every(isTerminal)).toBe(true);
		expect((['queued', 'in_progress', 'unknown'] as const).some(isTerminal)).toBe(false);
	});
});
