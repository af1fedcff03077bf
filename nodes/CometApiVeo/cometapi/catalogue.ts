import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { readApiRoot } from '../transport';
import { fetchCatalogue } from '../transport/public-json';
import { isObject } from '../helpers/json';
import { remember } from '../helpers/memo';
import type { Runtime } from '../transport/runtime';

/** A Veo model as CometAPI's public catalogue shows it, read tolerantly. */
export interface CatalogueModel {
	id: string;
	provider: string | null;
	features: string[];
	/** The first word of the catalogue's currency string ("USD" of "USD / M Tokens"). */
	currency: string | null;
	perSecond: number | null;
	perRequest: number | null;
}

/** A catalogue read is kept this long per Base URL. */
export const CATALOGUE_TTL_MS = 5 * 60_000;
/** A failed read (not whole within CATALOGUE_READ_MS, an error, an unknown shape) is kept this long. */
export const CATALOGUE_FAILURE_TTL_MS = 60_000;

function price(value: unknown): number | null {
	const number = typeof value === 'string' && value.trim() ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : null;
}

/** The Veo video models of a catalogue answer; undefined when its shape is not the documented one. */
export function veoModelsOf(answer: unknown): CatalogueModel[] | undefined {
	const data = isObject(answer) ? answer.data : undefined;
	if (!Array.isArray(data)) return undefined;
	return data.filter(isObject).flatMap((entry): CatalogueModel[] => {
		const id = typeof entry.id === 'string' ? entry.id.trim() : '';
		const type = typeof entry.model_type === 'string' ? entry.model_type.toLowerCase() : 'video';
		if (!/veo/i.test(id) || type !== 'video') return [];
		const pricing = isObject(entry.pricing) ? entry.pricing : {};
		const currency =
			typeof pricing.currency === 'string' ? pricing.currency.trim().split(/\s+/)[0] || null : null;
		return [
			{
				id,
				provider: typeof entry.provider === 'string' ? entry.provider : null,
				features: Array.isArray(entry.features)
					? entry.features.filter((f): f is string => typeof f === 'string')
					: [],
				currency,
				perSecond: price(pricing.per_second),
				perRequest: price(pricing.per_request),
			},
		];
	});
}

/**
 * The Veo models of the catalogue of the credential's Base URL, kept a few minutes. Throws when
 * the catalogue cannot be read or has an unknown shape: callers fall back, never fail a job. A
 * failure is kept a minute, so a slow or broken catalogue delays one run, not every run; a
 * failure of the caller's own stop is not kept.
 */
export async function readCatalogue(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	runtime: Runtime,
	stop?: AbortSignal,
): Promise<CatalogueModel[]> {
	const root = await readApiRoot(ctx);
	return await remember(
		runtime,
		`catalogue ${root}`,
		{ okMs: CATALOGUE_TTL_MS, failedMs: CATALOGUE_FAILURE_TTL_MS },
		async () => {
			const answer = await fetchCatalogue(ctx, root, {
				clock: runtime.clock,
				maxMs: runtime.limits.catalogueReadMs,
				stop,
			});
			const models = veoModelsOf(answer);
			if (!models) throw new Error('its answer has an unknown shape');
			return models;
		},
		() => !stop?.aborted,
	);
}

/** "$0.05 per second", "0.4 USD per video", or undefined without a usable price. */
export function priceText(model: CatalogueModel): string | undefined {
	const money = (amount: number) =>
		model.currency === 'USD' ? `$${amount}` : `${amount} ${model.currency ?? ''}`.trim();
	if (model.perSecond !== null) return `${money(model.perSecond)} per second`;
	if (model.perRequest !== null) return `${money(model.perRequest)} per video`;
	return undefined;
}
