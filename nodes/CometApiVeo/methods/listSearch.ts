import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { CatalogueModel } from '../cometapi/catalogue';
import { priceText, readCatalogue } from '../cometapi/catalogue';
import { KNOWN_MODELS } from '../cometapi/models';
import { SYSTEM_RUNTIME } from '../transport/runtime';

function itemOf(model: CatalogueModel): INodeListSearchItems {
	const known = KNOWN_MODELS.find((entry) => entry.value === model.id);
	const parts = [model.provider, model.features.join(', '), priceText(model)].filter(Boolean);
	return {
		name: known?.name ?? model.id,
		value: model.id,
		description: parts.join(' · ') || `Alias ${model.id}`,
	};
}

/**
 * The Veo models of CometAPI's public catalogue (kept a few minutes per Base URL), filtered as
 * the user types; the known aliases when the catalogue cannot be read, so the list is never
 * empty. Any other alias can be typed "By Alias".
 */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	let items: INodeListSearchItems[];
	try {
		const models = await readCatalogue(this, SYSTEM_RUNTIME);
		items = models.length > 0 ? models.map(itemOf) : KNOWN_MODELS;
	} catch {
		items = KNOWN_MODELS;
	}
	const needle = (filter ?? '').trim().toLowerCase();
	const results = items.filter(
		(model) =>
			!needle ||
			String(model.value).toLowerCase().includes(needle) ||
			model.name.toLowerCase().includes(needle),
	);
	return { results };
}
