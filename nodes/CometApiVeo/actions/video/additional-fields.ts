import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../failures';
import { readText } from '../../helpers/parameters';
import { OWN_PARTS } from './create.form';

// The fields the node sends itself; Additional Fields may not send them a second time.
const RESERVED_FIELDS = OWN_PARTS;

// A name goes into the part's multipart header, which the host n8n's form-data writes (1.x's
// 4.0.0 unescaped): a quote or line break there writes other parts or headers, and brackets
// (model[], prompt[0]) are read as the reserved fields by bracket-style parsers.
const PLAIN_FIELD_NAME = /^[A-Za-z0-9_.-]+$/;

/** Additional Fields: fields sent to CometAPI as they are, under names the user gives. */
export const additionalFields: INodeProperties = {
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
					description: `A field CometAPI accepts, e.g. negative_prompt or seed. Only letters, digits, _, - and . (no spaces, brackets, quotes or line breaks), and none of ${RESERVED_FIELDS.join(', ')} in any case.`,
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

export function readExtraFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Array<[string, string]> {
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
