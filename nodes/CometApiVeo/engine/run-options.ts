import type { IExecuteFunctions } from 'n8n-workflow';

import type { WaitSettings } from './lifecycle';
import { fieldError } from '../failures';
import { numberIn, oneOf, readText } from '../helpers/parameters';
import { waitingOptions } from './run-options.description';

type OptionName =
	| 'binaryPropertyName'
	| 'fileName'
	| 'maxConcurrentJobs'
	| 'maxDownloadMinutes'
	| 'maxWaitMinutes'
	| 'onTimeout'
	| 'pollInterval';

/** An option's default and bounds, as its description states them. */
function spec(name: OptionName) {
	const property = waitingOptions.find((option) => option.name === name)!;
	return {
		label: property.displayName,
		fallback: property.default as unknown,
		bounds: {
			min: property.typeOptions?.minValue ?? 0,
			max: property.typeOptions?.maxValue ?? Infinity,
		},
	};
}

function option(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: OptionName,
): { label: string; value: unknown } {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	const { label, fallback } = spec(name);
	return { label, value: options[name] ?? fallback };
}

function numberOption(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: OptionName,
	wholeNumber = false,
): number {
	const { label, value } = option(ctx, itemIndex, name);
	return numberIn(ctx, itemIndex, label, value, spec(name).bounds, wholeNumber);
}

function textOption(ctx: IExecuteFunctions, itemIndex: number, name: OptionName): string {
	const { label, value } = option(ctx, itemIndex, name);
	return readText(ctx, itemIndex, value, label);
}

/** Reads and checks one item's waiting fields (waiting.description.ts); sends nothing. */
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
	const output = wait
		? oneOf(this, itemIndex, 'Output', this.getNodeParameter('output', itemIndex), [
				'binary',
				'url',
			] as const)
		: 'url';
	const onTimeout = option(this, itemIndex, 'onTimeout');
	const binaryPropertyName = textOption(this, itemIndex, 'binaryPropertyName');
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
		fileName: textOption(this, itemIndex, 'fileName'),
		intervalMs: numberOption(this, itemIndex, 'pollInterval') * 1000,
		maxWaitMs: numberOption(this, itemIndex, 'maxWaitMinutes') * 60_000,
		maxDownloadMs: numberOption(this, itemIndex, 'maxDownloadMinutes') * 60_000,
	};
}

/** The node-wide concurrency, read once from the first item (before anything is sent). */
export function readMaxConcurrentJobs(this: IExecuteFunctions): number {
	return numberOption(this, 0, 'maxConcurrentJobs', true);
}
