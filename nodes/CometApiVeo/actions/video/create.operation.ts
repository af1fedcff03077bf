import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createTask } from '../../cometapi/videos';
import type { Job, JobResult } from '../../engine/jobs';
import type { WaitSettings } from '../../engine/lifecycle';
import { finishJob } from '../../engine/lifecycle';
import { readWaitSettings } from '../../engine/run-options';
import type { PricedPlan } from '../../engine/spend-limit';
import { holdSpend, releaseSpend } from '../../engine/spend-limit';
import { numberIn } from '../../helpers/parameters';
import { readFrames } from '../../media/frames/fields';
import type { FrameSource } from '../../media/frames/image';
import { fetchFramesOnce } from '../../media/frames/url';
import type { Runtime } from '../../transport/runtime';
import { readExtraFields } from './additional-fields';
import type { TextParts } from './create.form';
import { buildForm, readTextParts } from './create.form';
import { createFields } from './create.fields';

export { hints } from './create.fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['create'] } },
	createFields,
);

/** One item's Create, checked: what each of its jobs sends, and how it is handed back. */
export type CreatePlan = TextParts &
	PricedPlan & {
		frames: FrameSource[];
		extraFields: Array<[string, string]>;
		settings: WaitSettings;
	};

/** Reads and checks one item's parameters and frames; sends nothing. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<CreatePlan> {
	// n8n fills in each field's default from the description.
	return {
		...readTextParts(this, itemIndex),
		frames: await readFrames(this, itemIndex),
		videos: numberIn(
			this,
			itemIndex,
			'Videos per Prompt',
			this.getNodeParameter('videosPerPrompt', itemIndex),
			{ min: 1, max: 4 },
			true,
		),
		extraFields: readExtraFields(this, itemIndex),
		settings: readWaitSettings.call(this, itemIndex),
	};
}

export function variantsOf(plan: CreatePlan): number {
	return plan.videos;
}

/** Once per run, before any create: the cost estimates and the spend limit (engine/spend-limit). */
export async function beforeJobs(
	this: IExecuteFunctions,
	plans: CreatePlan[],
	runtime: Runtime,
): Promise<void> {
	await holdSpend.call(this, plans, runtime);
}

/** After the jobs: the share of each job CometAPI certainly did not take goes back. */
export function afterJobs(this: IExecuteFunctions, notTaken: CreatePlan[]): void {
	releaseSpend.call(this, notTaken);
}

/** One job of the item: fetch its URL frames (nothing is sent if that fails), create, finish. */
export async function execute(
	this: IExecuteFunctions,
	plan: CreatePlan,
	job: Job,
): Promise<JobResult> {
	const frames = await fetchFramesOnce.call(this, plan, job, plan.frames);
	// A new form each attempt: frame streams are used up by sending them.
	const task = await createTask.call(
		this,
		job,
		async () => await buildForm.call(this, plan, frames),
	);
	this.logger.info(
		`CometAPI accepted video job ${task.id} for item ${job.itemIndex}${job.variants > 1 ? ` (video ${job.variant})` : ''}`,
	);
	const result = await finishJob.call(this, job, task, plan.settings);
	const cost = plan.cost ?? { estimate: null, reason: 'not estimated' };
	const estimate: IDataObject = { cost_estimate: cost.estimate as IDataObject | null };
	if (cost.estimate === null) estimate.cost_estimate_reason = cost.reason;
	return { ...result, json: { ...result.json, ...estimate } };
}
