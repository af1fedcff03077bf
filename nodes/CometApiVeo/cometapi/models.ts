/** Veo aliases seen in CometAPI's docs; CometAPI's list changes, so any alias may be typed. */
export const KNOWN_MODELS = [
	{ value: 'veo3-fast', name: 'Veo 3 Fast', description: 'Alias veo3-fast' },
	{ value: 'veo3', name: 'Veo 3', description: 'Alias veo3' },
	{ value: 'veo3-pro', name: 'Veo 3 Pro', description: 'Alias veo3-pro' },
	{ value: 'veo3.1-fast', name: 'Veo 3.1 Fast', description: 'Alias veo3.1-fast' },
	{ value: 'veo3.1', name: 'Veo 3.1', description: 'Alias veo3.1' },
	{ value: 'veo3.1-pro', name: 'Veo 3.1 Pro', description: 'Alias veo3.1-pro' },
	{ value: 'veo3-frames', name: 'Veo 3 Frames', description: 'Alias veo3-frames' },
];
