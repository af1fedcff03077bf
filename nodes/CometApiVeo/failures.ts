import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * How a problem follows the field's name: as a predicate (`"Size" is not a size...`) or as a
 * statement of its own (`"Image URL": the image at ... could not be used`).
 */
export type FieldJoin = 'predicate' | 'statement';

/** An error for one field of one item, raised before anything is sent. */
export function fieldError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldLabel: string,
	problem: string,
	description?: string,
	join: FieldJoin = 'predicate',
): NodeOperationError {
	const joint = join === 'statement' ? ': ' : ' ';
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: "${fieldLabel}"${joint}${problem}`,
		{
			itemIndex,
			description,
		},
	);
}

const createsInDoubt = new WeakSet<object>();

/** Marks the error of a create whose outcome is unknown: CometAPI may have accepted (and billed) it. */
export function inDoubt<E extends object>(error: E): E {
	createsInDoubt.add(error);
	return error;
}

/** Whether the error is of a create CometAPI may have accepted: asked, never read from its words. */
export function isCreateInDoubt(error: unknown): boolean {
	return typeof error === 'object' && error !== null && createsInDoubt.has(error);
}
