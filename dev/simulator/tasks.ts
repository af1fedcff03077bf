import { randomAlphanumerics } from './errors';
import type {
	ClockMode,
	RecordedRequest,
	ScriptSource,
	SimTask,
	TaskScript,
	TaskStep,
} from './types';
import { readFixture } from './video';

// A job's life at CometAPI: the script a test gives it, where it stands, and what moves it.

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
	if (script.steps !== undefined && script.steps.length === 0)
		throw new Error('TaskScript.steps needs at least one step');
}

export interface NewTask {
	createSeq: number;
	prompt: string;
	requestedModel: string;
	model: string;
	size: string;
	seconds: string;
	references: number;
	script: TaskScript;
}

export interface TaskState {
	step: TaskStep;
	/** Index into script.steps. */
	position: number;
	/** At the last step with outcome completed or failed. */
	terminal: boolean;
	completed: boolean;
	failed: boolean;
}

export function newTaskId(): string {
	return `task_${randomAlphanumerics(32)}`;
}

/** The task store and the task clock: where each task stands in its script. */
export class TaskStore {
	readonly tasks = new Map<string, SimTask>();

	constructor(
		private readonly clock: ClockMode,
		private readonly stepMs: number,
	) {}

	create(input: NewTask): SimTask {
		const now = Date.now();
		const task: SimTask = {
			id: newTaskId(),
			createdAt: Math.floor(now / 1000),
			createdMs: now,
			advancedBy: 0,
			...input,
		};
		this.tasks.set(task.id, task);
		return task;
	}

	get(id: string): SimTask | undefined {
		return this.tasks.get(id);
	}

	state(task: SimTask): TaskState {
		const { steps, outcome } = task.script;
		const last = steps.length - 1;
		const elapsed =
			this.clock === 'time' ? Math.floor((Date.now() - task.createdMs) / this.stepMs) : 0;
		// A task that never finishes stops one step short of the terminal one.
		const cap = outcome === 'never' ? Math.max(0, last - 1) : last;
		const position = Math.min(cap, task.advancedBy + elapsed);
		const terminal = outcome !== 'never' && position === last;
		const completed = terminal && outcome === 'completed';
		if (completed && task.completedAt === undefined)
			task.completedAt = Math.floor(Date.now() / 1000);
		return {
			step: steps[position],
			position,
			terminal,
			completed,
			failed: terminal && outcome === 'failed',
		};
	}

	/** Clock 'poll': after each answer about a task (its create included) it moves one step. */
	afterAnswer(task: SimTask): void {
		if (this.clock === 'poll') task.advancedBy++;
	}

	advance(taskId: string | undefined, steps: number): void {
		if (taskId === undefined) {
			for (const task of this.tasks.values()) task.advancedBy += steps;
			return;
		}
		const task = this.tasks.get(taskId);
		if (!task) throw new Error(`advance(): no task ${taskId}`);
		task.advancedBy += steps;
	}

	clear(): void {
		this.tasks.clear();
	}
}
