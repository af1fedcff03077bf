// CometAPI's model routes: the authenticated OpenAI-style GET /v1/models and the public catalogue GET /api/models.

// Model aliases CometAPI documents for Veo, plus a few others so a client must filter.
export const VEO_ALIASES = [
	'veo3-fast',
	'veo3',
	'veo3-pro',
	'veo3.1-fast',
	'veo3.1',
	'veo3.1-pro',
	'veo3-frames',
];
const OTHER_MODELS: Array<{ id: string; owned_by: string }> = [
	{ id: 'gpt-4o-mini', owned_by: 'openai' },
	{ id: 'sora-2', owned_by: 'openai' },
	{ id: 'kling-v2', owned_by: 'kling' },
];

export const DEFAULT_MODEL = 'veo3-fast';

/** The provider id the API shows instead of the alias, e.g. veo3.1-pro -> veo_3_1-pro; other names unchanged. */
export function resolveModel(alias: string): string {
	return alias.replace(/^veo3\.1/, 'veo_3_1').replace(/^veo3/, 'veo_3');
}

/** Authenticated GET /v1/models: an OpenAI-style list. */
export function modelList(): {
	object: 'list';
	data: Array<{ id: string; object: 'model'; owned_by: string }>;
} {
	const models = [...VEO_ALIASES.map((id) => ({ id, owned_by: 'google' })), ...OTHER_MODELS];
	return {
		object: 'list',
		data: models.map(({ id, owned_by }) => ({ id, object: 'model', owned_by })),
	};
}

/**
 * How the public catalogue prices Veo: CometAPI does not show a Veo record, so each shape a
 * client must survive is a kind. 'documented': the veo3.1 family per second ($0.05, as its Veo
 * 3.1 page says), the older veo3 aliases per request (its older table: veo3-fast $0.4, veo3-pro
 * $2), currency "USD". 'per-request-only': every Veo alias per request. 'other-currency': the
 * documented prices with the currency string "CNY / video". 'no-pricing': empty pricing objects.
 */
export type CatalogueKind = 'documented' | 'per-request-only' | 'other-currency' | 'no-pricing';

const PER_REQUEST: Record<string, number> = {
	'veo3-fast': 0.4,
	veo3: 1.2,
	'veo3-pro': 2,
	'veo3-frames': 0.4,
	'veo3.1-fast': 0.6,
	'veo3.1': 1.6,
	'veo3.1-pro': 2.4,
};

function veoPricing(id: string, kind: CatalogueKind): Record<string, unknown> {
	if (kind === 'no-pricing') return {};
	const currency = kind === 'other-currency' ? 'CNY / video' : 'USD';
	const base = { currency, input: null, output: null, per_request: null, per_second: null };
	if (kind !== 'per-request-only' && id.startsWith('veo3.1')) return { ...base, per_second: 0.05 };
	return { ...base, per_request: PER_REQUEST[id] };
}

/**
 * Public GET /api/models (no key), in the documented wrapper: success, page, page_size, total,
 * data of {id, provider, model_type, features, pricing, api_doc_url}.
 */
export function publicModelList(kind: CatalogueKind = 'documented'): Record<string, unknown> {
	const veo = VEO_ALIASES.map((id) => ({
		id,
		provider: 'Google',
		model_type: 'video',
		features: id === 'veo3-frames' ? ['image-to-video'] : ['text-to-video', 'image-to-video'],
		pricing: veoPricing(id, kind),
		api_doc_url: 'https://apidoc.cometapi.com/api/video/veo',
	}));
	const others = OTHER_MODELS.map(({ id, owned_by }) => ({
		id,
		provider: owned_by,
		model_type: id.startsWith('gpt') ? 'text' : 'video',
		features: [],
		pricing: {
			currency: 'USD / M Tokens',
			input: 0.15,
			output: 0.6,
			per_request: null,
			per_second: null,
		},
		api_doc_url: '',
	}));
	const data = [...veo, ...others];
	return { success: true, page: 0, page_size: 0, total: data.length, data };
}
