// Docs §5: the authenticated OpenAI-style GET /v1/models and the public catalogue GET /api/models.

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
 * Public GET /api/models. The documented fields are id, provider, model_type, features and
 * pricing; the values and the wrapper object here are a guess.
 */
export function publicModelList(): { success: true; data: Array<Record<string, unknown>> } {
	const veo = VEO_ALIASES.map((id) => ({
		id,
		provider: 'google',
		model_type: 'video',
		features: ['text-to-video', 'image-to-video'],
		pricing: {},
	}));
	const others = OTHER_MODELS.map(({ id, owned_by }) => ({
		id,
		provider: owned_by,
		model_type: id.startsWith('gpt') ? 'text' : 'video',
		features: [],
		pricing: {},
	}));
	return { success: true, data: [...veo, ...others] };
}
