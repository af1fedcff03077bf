import { readFixture } from './fixtures';
import type { RecordedRequest, ScriptSource, TaskScript } from './types';

const SAMPLE_VIDEO = readFixture('sampleVideo');

export function defaultScript(): TaskScript {
	return {
		steps: [
			{ status: 'queued', progress: 0 },
			{ status: 'in_progress', progress: 50 },
			{ status: 'completed', progress: 100 },
		],
		outcome: 'completed',
		failure: 'error-object',
		statusCase: 'lower',
		videoUrl: 'video-host',
		urlField: 'video_url',
		content: 'bytes',
		video: SAMPLE_VIDEO,
		withTaskId: false,
		expiresAt: false,
	};
}

/** Holds what the next creates should do; each create gets the defaults overlaid with it. */
export class ScriptBook {
	private source: ScriptSource = {};

	set(next: ScriptSource): void {
		if (typeof next !== 'function') checkScript(next);
		this.source = next;
	}

	clear(): void {
		this.source = {};
	}

	forCreate(req: RecordedRequest): TaskScript {
		const partial = typeof this.source === 'function' ? this.source(req) : this.source;
		checkScript(partial);
		const script = { ...defaultScript(), ...partial };
		if (script.videoSize !== undefined) script.video = { size: script.videoSize };
		return script;
	}
}

function checkScript(script: Partial<TaskScript>): void {
	if (script.steps !== undefined && script.steps.length === 0) throw new Error('TaskScript.steps needs at least one step');
}
