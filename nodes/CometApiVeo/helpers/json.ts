import type { IDataObject } from 'n8n-workflow';

/** A JSON object: what an answer's fields are read from (arrays and null are not). */
export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
