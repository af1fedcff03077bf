import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldError } from '../failures';

/** What an expression handed over, named for an error message. */
export function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A text parameter, trimmed; numbers are taken as text, anything else is an error. */
export function readText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	fieldLabel: string,
): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw fieldError(ctx, itemIndex, fieldLabel, `must be text, not ${typeName(value)}`);
}

/** A required text parameter: empty is an error naming the item and the field. */
export function requireText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	fieldLabel: string,
	hint: string,
): string {
	const text = readText(ctx, itemIndex, value, fieldLabel);
	if (!text) throw fieldError(ctx, itemIndex, fieldLabel, 'is empty', hint);
	return text;
}

/** One of a field's option values; anything else (say from an expression) is an error. */
export function oneOf<T extends string>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldLabel: string,
	value: unknown,
	allowed: readonly T[],
): T {
	if (allowed.includes(value as T)) return value as T;
	throw fieldError(
		ctx,
		itemIndex,
		fieldLabel,
		`must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`,
	);
}

/** A number within bounds; numeric text from an expression is accepted. */
export function numberIn(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldLabel: string,
	value: unknown,
	bounds: { min: number; max: number },
	wholeNumber = false,
): number {
	const number = typeof value === 'string' && value.trim() ? Number(value) : value;
	const kind = wholeNumber ? 'a whole number' : 'a number';
	if (
		typeof number !== 'number' ||
		!Number.isFinite(number) ||
		(wholeNumber && !Number.isInteger(number))
	) {
		throw fieldError(
			ctx,
			itemIndex,
			fieldLabel,
			`must be ${kind} from ${bounds.min} to ${bounds.max}, not ${JSON.stringify(value)}`,
		);
	}
	if (number < bounds.min || number > bounds.max) {
		throw fieldError(
			ctx,
			itemIndex,
			fieldLabel,
			`must be from ${bounds.min} to ${bounds.max}, not ${number}`,
		);
	}
	return number;
}
