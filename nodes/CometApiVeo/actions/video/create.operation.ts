import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CatalogueModel } from '../../cometapi/catalogue';
import { readCatalogue } from '../../cometapi/catalogue';
import type { CostEstimate, Estimate } from '../../cometapi/cost';
import { estimateCost } from '../../cometapi/cost';
import type { FrameSource } from '../../media/frames/binary';
import { appendFrames, fetchFrame, readFrame, readFrameUrl } from '../../media/frames/binary';
import type { Job, JobResult } from '../../engine/jobs';
import type { WaitSettings } from '../../engine/lifecycle';
import { finishJob } from '../../engine/lifecycle';
import { spendLedger } from '../../engine/spend-ledger';
import { createTask } from '../../cometapi/videos';
import { fieldError } from '../../failures';
import { numberIn, oneOf, readText, requireText } from '../../helpers/parameters';
import { frameFields } from '../../media/frames/fields';
import { waitingFields } from '../../engine/run-options.description';
import { readWaitSettings } from '../../engine/run-options';
import type { Runtime } from '../../transport/runtime';

const properties: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. A paper kite floats above a field at sunset, slow dolly shot',
		description: 'What the video should show',
		typeOptions: { rows: 4 },
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: 'veo3-fast' },
		description:
			'The Veo alias. CometAPI may answer with the provider model it resolved the alias to.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By Alias',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. veo3.1-fast',
			},
		],
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		default: '16x9',
		description: 'Orientation or pixel size of the video',
		options: [
			{ name: 'Landscape 1280x720', value: '1280x720' },
			{ name: 'Landscape 16:9', value: '16x9' },
			{ name: 'Landscape 1920x1080', value: '1920x1080' },
			{ name: 'Landscape 3840x2160 (4K)', value: '3840x2160' },
			{ name: 'Portrait 720x1280', value: '720x1280' },
			{ name: 'Portrait 9:16', value: '9x16' },
		],
	},
	{
		displayName:
			'CometAPI lists 1920x1080 and 3840x2160 for landscape with the veo3.1 models; other aliases may answer at their own size. The request is sent as set.',
		name: 'largeSizeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { size: ['1920x1080', '3840x2160'] } },
	},
	{
		displayName: 'Seconds',
		name: 'seconds',
		type: 'options',
		default: '',
		description: 'Length of the video. Sent only when set; not every alias accepts it.',
		options: [
			{ name: 'Model Default', value: '' },
			{ name: '4 Seconds', value: '4' },
			{ name: '6 Seconds', value: '6' },
			{ name: '8 Seconds', value: '8' },
		],
	},
	{
		displayName:
			"Some aliases ignore Seconds and make 8-second clips (CometAPI's pages disagree on which). The request is sent as set.",
		name: 'secondsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { seconds: ['4', '6', '8'] } },
	},
	...frameFields,
	{
		displayName: 'Videos per Prompt',
		name: 'videosPerPrompt',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 4, numberPrecision: 0 },
		description:
			'How many videos to make of each item, each its own job (and bill). Each video is an output item with its variant number.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'fixedCollection',
		placeholder: 'Add Field',
		default: {},
		typeOptions: { multipleValues: true },
		description:
			'Fields sent to CometAPI as they are, for fields it accepts that this node does not model (e.g. negative_prompt, seed)',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. negative_prompt',
						description:
							'A field CometAPI accepts, e.g. negative_prompt or seed. Only letters, digits, _, - and . (no spaces, brackets, quotes or line breaks), and none of prompt, model, size, seconds, input_reference in any case.',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	...waitingFields(true, [
		{
			displayName: 'Max Estimated Spend per Execution',
			name: 'maxEstimatedSpend',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			description:
				"In the catalogue's currency (USD). Bounds the estimated cost of every video this node creates in one execution, over all its runs (a loop, several input batches, each tool call of an AI Agent). Before any create of a run, the node adds the estimate of every video of every item to what earlier runs of this execution used, and sends nothing when the sum is over this. A new execution starts again from 0. Not set: no limit.",
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['create'] } },
	properties,
);

/** Shown in the editor when the model and the frames do not go together; nothing is refused. */
export const hints = [
	{
		message:
			'The veo3-frames alias expects a first and a last frame: set Image Frames to First and Last Frame.',
		type: 'info' as const,
		location: 'ndv' as const,
		whenToDisplay: 'always' as const,
		displayCondition:
			'={{ $parameter["operation"] === "create" && ($parameter["model"]?.value ?? $parameter["model"]) === "veo3-frames" && $parameter["frames"] !== "firstLast" }}',
	},
];

// The fields the node sends itself; Additional Fields may not send them a second time.
const RESERVED_FIELDS = ['prompt', 'model', 'size', 'seconds', 'input_reference'];

// A name goes into the part's multipart header, which the host n8n's form-data writes (1.x's
// 4.0.0 unescaped): a quote or line break there writes other parts or headers, and brackets
// (model[], prompt[0]) are read as the reserved fields by bracket-style parsers.
const PLAIN_FIELD_NAME = /^[A-Za-z0-9_.-]+$/;

export interface CreatePlan {
	/** Set once the batch is checked: one video's estimated cost, or why there is none. */
	cost?: Estimate;
	prompt: string;
	model: string;
	size: string;
	seconds: string;
	frames: FrameSource[];
	videos: number;
	extraFields: Array<[string, string]>;
	settings: WaitSettings;
}

type Slot = { source: string; property: string; url: string; label: string };
const SLOTS: Record<'single' | 'firstLast', Slot[]> = {
	single: [
		{ source: 'imageSource', property: 'imageBinaryProperty', url: 'imageUrl', label: 'Image' },
	],
	firstLast: [
		{
			source: 'firstFrameSource',
			property: 'firstFrameBinaryProperty',
			url: 'firstFrameUrl',
			label: 'First Frame',
		},
		{
			source: 'lastFrameSource',
			property: 'lastFrameBinaryProperty',
			url: 'lastFrameUrl',
			label: 'Last Frame',
		},
	],
};

async function readFrames(ctx: IExecuteFunctions, itemIndex: number): Promise<FrameSource[]> {
	const mode = oneOf(ctx, itemIndex, 'Image Frames', ctx.getNodeParameter('frames', itemIndex), [
		'none',
		'single',
		'firstLast',
	] as const);
	if (mode === 'none') return [];
	const frames: FrameSource[] = [];
	for (const slot of SLOTS[mode]) {
		const label = `${slot.label} Source`;
		const source = oneOf(ctx, itemIndex, label, ctx.getNodeParameter(slot.source, itemIndex), [
			'binary',
			'url',
		] as const);
		if (source === 'url') {
			frames.push(
				readFrameUrl(
					ctx,
					itemIndex,
					ctx.getNodeParameter(slot.url, itemIndex),
					`${slot.label} URL`,
				),
			);
		} else {
			const value = ctx.getNodeParameter(slot.property, itemIndex);
			frames.push({
				kind: 'binary',
				frame: await readFrame.call(ctx, itemIndex, value, `${slot.label} Binary Property`),
			});
		}
	}
	return frames;
}

function readExtraFields(ctx: IExecuteFunctions, itemIndex: number): Array<[string, string]> {
	const collection = ctx.getNodeParameter('additionalFields', itemIndex) as { field?: unknown };
	const entries = Array.isArray(collection?.field)
		? (collection.field as Array<{ name?: unknown; value?: unknown }>)
		: [];
	return entries.map((entry, position) => {
		const label = `Additional Fields ${position + 1}`;
		const name = readText(ctx, itemIndex, entry.name, `${label} Name`);
		if (!name) throw fieldError(ctx, itemIndex, `${label} Name`, 'is empty');
		if (!PLAIN_FIELD_NAME.test(name)) {
			throw fieldError(
				ctx,
				itemIndex,
				`${label} Name`,
				`is not a plain field name: ${JSON.stringify(name.slice(0, 60))}. A field name has only letters, digits, _, - and . (e.g. negative_prompt)`,
				'Nothing was sent for this item. Spaces, brackets, quotes and line breaks are refused: the name is written into the multipart header of the request.',
			);
		}
		// In any case, and as the head of a dotted name (model.x), which dot-style parsers nest.
		if (RESERVED_FIELDS.includes(name.toLowerCase().split('.')[0])) {
			throw fieldError(
				ctx,
				itemIndex,
				`${label} Name`,
				`"${name}" is a field the node sends itself`,
				`Set it with the node's own field; Additional Fields are for fields other than ${RESERVED_FIELDS.join(', ')}.`,
			);
		}
		const value = entry.value;
		const text =
			typeof value === 'boolean'
				? String(value)
				: readText(ctx, itemIndex, value, `${label} Value`);
		return [name, text];
	});
}

/** Reads and checks one item's parameters and frames; sends nothing. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<CreatePlan> {
	// n8n fills in each field's default from the description above.
	const parameter = (name: string) => this.getNodeParameter(name, itemIndex);
	const prompt = requireText(
		this,
		itemIndex,
		parameter('prompt'),
		'Prompt',
		'Describe the video to generate.',
	);
	const model = requireText(
		this,
		itemIndex,
		this.getNodeParameter('model', itemIndex, undefined, { extractValue: true }),
		'Model',
		'Pick a Veo alias from the list or type one, e.g. veo3-fast.',
	);
	const size = readText(this, itemIndex, parameter('size'), 'Size');
	const seconds = readText(this, itemIndex, parameter('seconds'), 'Seconds');
	// Checked by form only, so sizes and lengths CometAPI adds later still go through.
	if (size && !/^\d{1,5}x\d{1,5}$/.test(size)) {
		throw fieldError(
			this,
			itemIndex,
			'Size',
			`is not a size like 16x9 or 1280x720: ${JSON.stringify(size.slice(0, 40))}`,
		);
	}
	if (seconds && !/^[1-9]\d{0,2}$/.test(seconds)) {
		throw fieldError(
			this,
			itemIndex,
			'Seconds',
			`is not a whole number of seconds: ${JSON.stringify(seconds.slice(0, 40))}`,
		);
	}
	return {
		prompt,
		model,
		size,
		seconds,
		frames: await readFrames(this, itemIndex),
		videos: numberIn(
			this,
			itemIndex,
			'Videos per Prompt',
			parameter('videosPerPrompt'),
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

const LIMIT_NAME = 'Max Estimated Spend per Execution';

/** One video's share of the spend limit that a plan reserved, given back when its job is not taken. */
const reservedShare = new WeakMap<CreatePlan, number>();

/** The spend limit, read from the first item like Max Concurrent Jobs; undefined when not set. */
function readSpendLimit(ctx: IExecuteFunctions): number | undefined {
	const options = ctx.getNodeParameter('options', 0, {}) as { maxEstimatedSpend?: unknown };
	if (options.maxEstimatedSpend === undefined || options.maxEstimatedSpend === '') return undefined;
	return numberIn(ctx, 0, LIMIT_NAME, options.maxEstimatedSpend, {
		min: 0.01,
		max: Infinity,
	});
}

/**
 * Once per run, before any create: each item's estimated cost from CometAPI's catalogue (read
 * only here, and never a reason to fail a job), then the spend limit: this batch's estimate
 * added to what earlier runs of this node in this execution hold in its ledger.
 */
export async function beforeJobs(
	this: IExecuteFunctions,
	plans: CreatePlan[],
	runtime: Runtime,
): Promise<void> {
	// Every item was refused (under Continue On Fail): nothing to estimate or to send.
	if (plans.length === 0) return;
	const limit = readSpendLimit(this);
	let models: CatalogueModel[] | undefined;
	let unreadBecause: string | undefined;
	try {
		models = await readCatalogue(this, runtime, this.getExecutionCancelSignal());
	} catch (error) {
		unreadBecause = (error as Error).message;
		this.logger.info(`CometAPI's model catalogue could not be read: ${unreadBecause}`);
	}
	for (const plan of plans)
		plan.cost = estimateCost(models, plan.model, plan.seconds, unreadBecause);
	if (limit === undefined) return;

	// No await from here to the reservation: runs that overlap (an agent's parallel tool calls)
	// cannot both pass on the same sum.
	const videos = plans.reduce((sum, plan) => sum + plan.videos, 0);
	const unpriced = plans.find((plan) => plan.cost?.estimate === null);
	if (unpriced?.cost && unpriced.cost.estimate === null) {
		throw new NodeOperationError(
			this.getNode(),
			`${LIMIT_NAME} is set, but no cost can be estimated: ${unpriced.cost.reason}`,
			{
				description:
					'Nothing was sent. Pick a model the catalogue prices, or remove the limit from Options to run without an estimate.',
			},
		);
	}
	const estimates = plans.map((plan) => (plan.cost as { estimate: CostEstimate }).estimate);
	const ledger = spendLedger(this);
	const used = ledger.used();
	const currencies = [...new Set(estimates.map((estimate) => estimate.currency))];
	if (used.amount > 0 && !currencies.includes(used.currency)) currencies.push(used.currency);
	const cents = (amount: number) => Math.round(amount * 100) / 100;
	const amount = plans.reduce((sum, plan, i) => sum + estimates[i].amount * plan.videos, 0);
	const total = cents(amount);
	const currency = currencies.join('/') || '';
	if (currencies.length > 1) {
		throw new NodeOperationError(
			this.getNode(),
			`The estimated spend of this run cannot be held against ${LIMIT_NAME} (${limit}): the models of this execution are priced in ${currency}`,
			{ description: 'Nothing was sent. Use models priced in one currency, or remove the limit.' },
		);
	}
	if (cents(used.amount + amount) > limit) {
		const batch = `${total} ${currency} for ${videos} video${videos === 1 ? '' : 's'} of ${plans.length} item${plans.length === 1 ? '' : 's'}`;
		const earlier =
			used.amount > 0
				? `, with ${cents(used.amount)} ${currency} already estimated for earlier runs of this node in this execution (${cents(used.amount + amount)} ${currency} in all)`
				: '';
		throw new NodeOperationError(
			this.getNode(),
			`The estimated spend of this run, ${batch}${earlier}, is over ${LIMIT_NAME} (${limit})`,
			{
				description:
					'Nothing was sent. The limit holds for every run of this node in one execution; a new execution starts again from 0. Raise the limit, or send fewer items or videos.',
			},
		);
	}
	ledger.reserve(amount, currencies[0] ?? null);
	plans.forEach((plan, i) => reservedShare.set(plan, estimates[i].amount));
}

/** After the jobs: the share of each job CometAPI certainly did not take goes back to the ledger. */
export function afterJobs(this: IExecuteFunctions, notTaken: CreatePlan[]): void {
	const ledger = spendLedger(this);
	for (const plan of notTaken) {
		const share = reservedShare.get(plan);
		if (share !== undefined) ledger.release(share);
	}
}

// Image URLs are fetched once per item, whatever its number of videos.
const fetchedFrames = new WeakMap<CreatePlan, Promise<Awaited<ReturnType<typeof fetchFrame>>[]>>();

/** One job of the item: fetch its URL frames (nothing is sent if that fails), create, finish. */
export async function execute(
	this: IExecuteFunctions,
	plan: CreatePlan,
	job: Job,
): Promise<JobResult> {
	let frames = fetchedFrames.get(plan);
	if (!frames) {
		frames = Promise.all(
			plan.frames.map(async (source) => await fetchFrame.call(this, job, source)),
		);
		fetchedFrames.set(plan, frames);
	}
	const ready = await frames;
	// A new form each attempt: frame streams are used up by sending them.
	const buildForm = async (): Promise<FormData> => {
		const form = new FormData();
		form.append('prompt', plan.prompt);
		form.append('model', plan.model);
		if (plan.size) form.append('size', plan.size);
		if (plan.seconds) form.append('seconds', plan.seconds);
		for (const [name, value] of plan.extraFields) form.append(name, value);
		await appendFrames.call(this, form, ready);
		return form;
	};
	const task = await createTask.call(this, job, buildForm);
	this.logger.info(
		`CometAPI accepted video job ${task.id} for item ${job.itemIndex}${job.variants > 1 ? ` (video ${job.variant})` : ''}`,
	);
	const result = await finishJob.call(this, job, task, plan.settings);
	const cost = plan.cost ?? { estimate: null, reason: 'not estimated' };
	const estimate: IDataObject = { cost_estimate: cost.estimate as IDataObject | null };
	if (cost.estimate === null) estimate.cost_estimate_reason = cost.reason;
	return { ...result, json: { ...result.json, ...estimate } };
}
