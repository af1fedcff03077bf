/* Workflows the benchmark runs in the real n8n: this node, n8n's OpenAI "Generate Video" and its HTTP Request node. */
const trigger = {
	id: 'b-trigger',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** N items with a prompt each, made by a Code node. */
const items = (count: number) => ({
	id: 'b-items',
	name: 'Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [200, 0],
	parameters: {
		jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { prompt: 'benchmark clip ' + i } }));`,
	},
});

/** Start → a middle node (the items by default) → the node under test. */
function workflow(
	id: string,
	name: string,
	last: Record<string, unknown>,
	count: number,
	middle: Record<string, unknown> = items(count),
) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [trigger, middle, { ...last, position: [400, 0] }],
		connections: {
			Start: { main: [[{ node: middle.name as string, type: 'main', index: 0 }]] },
			[middle.name as string]: { main: [[{ node: last.name as string, type: 'main', index: 0 }]] },
		},
	};
}

export const VEO_CREDENTIAL = 'benchveocred0001';
export const OPENAI_CREDENTIAL = 'benchopenaicred1';
export const HEADER_CREDENTIAL = 'benchheadercred1';

export function veoWorkflow(
	id: string,
	count: number,
	options: { wait: boolean; pollInterval: number; maxConcurrentJobs: number },
) {
	return workflow(
		id,
		`bench veo ${id}`,
		{
			id: 'b-veo',
			name: 'Video',
			type: 'n8n-nodes-cometapi-veo.cometApiVeo',
			typeVersion: 1,
			parameters: {
				resource: 'video',
				operation: 'create',
				prompt: '={{ $json.prompt }}',
				size: '1280x720',
				seconds: '4',
				waitForCompletion: options.wait,
				output: 'binary',
				options: {
					pollInterval: options.pollInterval,
					maxConcurrentJobs: options.maxConcurrentJobs,
					maxWaitMinutes: 30,
				},
			},
			credentials: { cometApiVeoApi: { id: VEO_CREDENTIAL, name: 'bench veo' } },
		},
		count,
	);
}

/** n8n's own OpenAI node, Generate Video: same /v1/videos protocol, fixed 10 s polling. */
export function openAiWorkflow(id: string, count: number) {
	return workflow(
		id,
		`bench openai ${id}`,
		{
			id: 'b-openai',
			name: 'Video',
			type: '@n8n/n8n-nodes-langchain.openAi',
			typeVersion: 2.1,
			parameters: {
				resource: 'video',
				operation: 'generate',
				modelId: { __rl: true, mode: 'id', value: 'sora-2' },
				prompt: '={{ $json.prompt }}',
				seconds: 4,
				size: '1280x720',
				options: { waitTime: 1800 },
			},
			credentials: { openAiApi: { id: OPENAI_CREDENTIAL, name: 'bench openai' } },
		},
		count,
	);
}

/**
 * n8n's HTTP Request node sending the same multipart create, the key in a Header Auth
 * credential as a user would keep it (so both nodes read a credential for each request).
 */
export function httpRequestWorkflow(id: string, count: number, baseUrl: string) {
	return workflow(
		id,
		`bench http ${id}`,
		{
			id: 'b-http',
			name: 'Video',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/v1/videos`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				contentType: 'multipart-form-data',
				bodyParameters: {
					parameters: [
						{ parameterType: 'formData', name: 'prompt', value: '={{ $json.prompt }}' },
						{ parameterType: 'formData', name: 'model', value: 'veo3-fast' },
						{ parameterType: 'formData', name: 'size', value: '1280x720' },
						{ parameterType: 'formData', name: 'seconds', value: '4' },
					],
				},
				options: {},
			},
			credentials: { httpHeaderAuth: { id: HEADER_CREDENTIAL, name: 'bench header' } },
		},
		count,
	);
}

/**
 * The reference for the big-video figure: n8n's HTTP Request node downloading a finished video
 * as a file (it streams it into the binary store too). The Wait puts the download at the
 * same point after start-up as the two video nodes' (after one 10 s poll interval).
 */
export function httpDownloadWorkflow(id: string, videoUrl: string, waitSeconds: number) {
	return workflow(
		id,
		`bench http download ${id}`,
		{
			id: 'b-download',
			name: 'Video',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url: videoUrl,
				options: { response: { response: { responseFormat: 'file' } } },
			},
		},
		1,
		{
			id: 'b-wait',
			name: 'Wait',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [200, 0],
			parameters: { amount: waitSeconds, unit: 'seconds' },
		},
	);
}
