import type { CatalogueModel } from './catalogue';

export interface CostEstimate {
	amount: number;
	currency: string | null;
	/** How the amount was reached, e.g. "per_second 0.05 × 8 s (the model's default length)". */
	basis: string;
}

export type Estimate = { estimate: CostEstimate } | { estimate: null; reason: string };

/** CometAPI documents Veo clips of 8 s where the length is not chosen. */
const DEFAULT_SECONDS = 8;

/**
 * One video's estimated cost from the catalogue: per second × the seconds sent (or 8, the
 * documented default length), else per request. A guard before paying, not a bill: CometAPI's
 * guide says to check actual billing afterwards.
 */
export function estimateCost(
	models: CatalogueModel[] | undefined,
	alias: string,
	seconds: string,
	unreadBecause?: string,
): Estimate {
	if (!models) {
		const why = unreadBecause ? `: ${unreadBecause}` : '';
		return { estimate: null, reason: `the CometAPI model catalogue could not be read${why}` };
	}
	const model = models.find((entry) => entry.id.toLowerCase() === alias.toLowerCase());
	if (!model) return { estimate: null, reason: `the catalogue lists no model "${alias}"` };
	const round = (amount: number) => Math.round(amount * 1e6) / 1e6;
	if (model.perSecond !== null) {
		const length = seconds ? Number(seconds) : DEFAULT_SECONDS;
		const why = seconds ? `${length} s` : `${length} s (the documented default length)`;
		return {
			estimate: {
				amount: round(model.perSecond * length),
				currency: model.currency,
				basis: `per_second ${model.perSecond} × ${why}`,
			},
		};
	}
	if (model.perRequest !== null) {
		return {
			estimate: {
				amount: round(model.perRequest),
				currency: model.currency,
				basis: `per_request ${model.perRequest}`,
			},
		};
	}
	return {
		estimate: null,
		reason: `the catalogue has no per-second or per-request price for "${alias}"`,
	};
}
