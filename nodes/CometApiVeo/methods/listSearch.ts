import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { KNOWN_MODELS } from '../helpers/models';

/** The known aliases, filtered as the user types; any other alias can be typed "By Alias". */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const results = KNOWN_MODELS.filter(
		(model) => !needle || model.value.includes(needle) || model.name.toLowerCase().includes(needle),
	);
	return { results };
}
