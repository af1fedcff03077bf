import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** An error for one field of one item, raised before anything is sent. */
export function fieldError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldLabel: string,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "${fieldLabel}" ${problem}`, { itemIndex, description });
}

/** A required text parameter, trimmed; empty is an error naming the item and the field. */
export function requireText(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	fieldLabel: string,
	hint: string,
): string {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!text) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: "${fieldLabel}" is empty`, {
			itemIndex,
			description: hint,
		});
	}
	return text;
}

// CometAPI ids look like `task_<alphanumerics>`; anything that could leave its path segment
// (slashes, dots only, query or fragment marks, spaces) is refused before a request is built.
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

export function requireTaskId(this: IExecuteFunctions, itemIndex: number, value: unknown): string {
	const id = requireText.call(
		this,
		itemIndex,
		value,
		'Task ID',
		'Use the id that Create returned, e.g. {{ $json.id }}.',
	);
	if (!TASK_ID.test(id)) {
		throw new NodeOperationError(
			this.getNode(),
			`Item ${itemIndex}: "Task ID" is not a valid task id: ${JSON.stringify(id.slice(0, 80))}`,
			{
				itemIndex,
				description: 'A task id has only letters, digits and _ . : - (e.g. task_abc123), no slashes or spaces.',
			},
		);
	}
	return id;
}
