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
	const joint = problem.startsWith(':') ? '' : ' ';
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: "${fieldLabel}"${joint}${problem}`,
		{
			itemIndex,
			description,
		},
	);
}
