import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldError } from '../failures';
import { numberIn, oneOf, readText } from '../helpers/parameters';
import type { WaitSettings } from './lifecycle';
import { NUMBER_OPTIONS, SPEND_LIMIT, TEXT_OPTIONS } from './run-options.fields';
import { isToolRun } from './tool-answer';

/** The readers of run-options.fields.ts: each checks what it reads and sends nothing. */

function options(ctx: IExecuteFunctions, itemIndex: number): Record<string, unknown> {
	return ctx.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
}

function numberOption(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: keyof typeof NUMBER_OPTIONS,
	wholeNumber = false,
): number {
	const { label, min, max } = NUMBER_OPTIONS[name];
	const value = options(ctx, itemIndex)[name] ?? NUMBER_OPTIONS[name].default;
	return numberIn(ctx, itemIndex, label, value, { min, max }, wholeNumber);
}

function textOption(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: keyof typeof TEXT_OPTIONS,
): { label: string; value: unknown } {
	const { label } = TEXT_OPTIONS[name];
	return { label, value: options(ctx, itemIndex)[name] ?? TEXT_OPTIONS[name].default };
}

/** Reads and checks one item's Wait for Completion, Output and waiting Options. */
export function readWaitSettings(this: IExecuteFunctions, itemIndex: number): WaitSettings {
	const wait = this.getNodeParameter('waitForCompletion', itemIndex);
	if (typeof wait !== 'boolean') {
		throw fieldError(
			this,
			itemIndex,
			'Wait for Completion',
			`must be true or false, not ${JSON.stringify(wait)}`,
		);
	}
	const chosen = wait
		? oneOf(this, itemIndex, 'Output', this.getNodeParameter('output', itemIndex), [
				'binary',
				'url',
			] as const)
		: 'url';
	// As a tool only JSON reaches the model (n8n drops binary data): downloading the video
	// would cost time and memory for no one, so Video as Binary answers like URL Only.
	const output = isToolRun(this) ? 'url' : chosen;
	const text = (name: keyof typeof TEXT_OPTIONS) => {
		const { label, value } = textOption(this, itemIndex, name);
		return readText(this, itemIndex, value, label);
	};
	const onTimeout = textOption(this, itemIndex, 'onTimeout');
	const binaryPropertyName = text('binaryPropertyName');
	if (wait && output === 'binary' && !binaryPropertyName)
		throw fieldError(this, itemIndex, 'Binary Property', 'is empty');
	return {
		wait,
		output,
		onTimeout: oneOf(this, itemIndex, onTimeout.label, onTimeout.value, [
			'return',
			'error',
		] as const),
		binaryPropertyName,
		fileName: text('fileName'),
		intervalMs: numberOption(this, itemIndex, 'pollInterval') * 1000,
		maxWaitMs: numberOption(this, itemIndex, 'maxWaitMinutes') * 60_000,
		maxDownloadMs: numberOption(this, itemIndex, 'maxDownloadMinutes') * 60_000,
	};
}

/** The node-wide concurrency, read once from the first item (before anything is sent). */
export function readMaxConcurrentJobs(this: IExecuteFunctions): number {
	return numberOption(this, 0, 'maxConcurrentJobs', true);
}

/** The spend limit, read from the first item like Max Concurrent Jobs; undefined when not set. */
export function readSpendLimit(this: IExecuteFunctions): number | undefined {
	const limit = options(this, 0).maxEstimatedSpend;
	if (limit === undefined || limit === '') return undefined;
	return numberIn(this, 0, SPEND_LIMIT.label, limit, {
		min: SPEND_LIMIT.min,
		max: SPEND_LIMIT.max,
	});
}
