/* Webhook-triggered workflows the queue-mode suite and benchmark run through n8n's main process. */

export const VEO_CREDENTIAL_ID = 'queueveocred0001';
export const VEO_TYPE = 'n8n-nodes-cometapi-veo.cometApiVeo';

const veoCredentials = {
	cometApiVeoApi: { id: VEO_CREDENTIAL_ID, name: 'CometAPI Veo (queue)' },
};

/** The credential, pointed at the simulator. */
export function veoCredential(apiKey: string, baseUrl: string) {
	return {
		id: VEO_CREDENTIAL_ID,
		name: 'CometAPI Veo (queue)',
		type: 'cometApiVeoApi',
		data: { apiKey, baseUrl },
	};
}

interface WebhookWorkflow {
	id: string;
	name: string;
	/** The production webhook path: POST {main}/webhook/{path}. */
	path: string;
	[key: string]: unknown;
}

/** Webhook (POST, answers at once: "Workflow was started") → the given nodes in a row. */
function webhookWorkflow(
	id: string,
	path: string,
	webhookId: string,
	nodes: Array<Record<string, unknown>>,
): WebhookWorkflow {
	const webhook = {
		id: `${id}-webhook`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
	const all: Array<Record<string, unknown>> = [
		webhook,
		...nodes.map((node, index) => ({ ...node, position: [220 * (index + 1), 0] })),
	];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < all.length - 1; index++)
		connections[all[index].name as string] = {
			main: [[{ node: all[index + 1].name as string, type: 'main', index: 0 }]],
		};
	return {
		id,
		name: `queue ${path}`,
		path,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: all,
		connections,
	};
}

/**
 * Create and wait: the webhook's body is `{ tag, items: [{ prompt, poll, mcj }] }`; Split Out
 * makes one item per entry; the node creates a job per item, waits (poll interval and Max
 * Concurrent Jobs from the first item) and downloads the video into n8n's binary store.
 */
export function createAndWaitWorkflow(): WebhookWorkflow {
	return webhookWorkflow('queuecreate00001', 'veo-create', '3f0e4c2a-8d71-4b6e-9a55-0c1d2e3f4a01', [
		{
			id: 'queue-split',
			name: 'Items',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'body.items', options: {} },
		},
		{
			id: 'queue-create',
			name: 'Create Video',
			type: VEO_TYPE,
			typeVersion: 1,
			parameters: {
				resource: 'video',
				operation: 'create',
				prompt: '={{ $json.prompt }}',
				model: { __rl: true, mode: 'list', value: 'veo3-fast' },
				size: '1280x720',
				seconds: '4',
				waitForCompletion: true,
				output: 'binary',
				options: {
					pollInterval: '={{ $json.poll }}',
					maxConcurrentJobs: '={{ $json.mcj }}',
					maxWaitMinutes: 30,
				},
			},
			credentials: veoCredentials,
		},
	]);
}

/** Retrieve by id with waiting: the recovery path for a job whose execution was lost. Body `{ taskId }`. */
export function retrieveWorkflow(): WebhookWorkflow {
	return webhookWorkflow(
		'queueretrieve001',
		'veo-retrieve',
		'7b2d9e41-5c60-4f3a-8e12-6a7b8c9d0e02',
		[
			{
				id: 'queue-retrieve',
				name: 'Retrieve Video',
				type: VEO_TYPE,
				typeVersion: 1,
				parameters: {
					resource: 'video',
					operation: 'retrieve',
					taskId: '={{ $json.body.taskId }}',
					waitForCompletion: true,
					output: 'binary',
					options: { pollInterval: 1, maxWaitMinutes: 5 },
				},
				credentials: veoCredentials,
			},
		],
	);
}

/** n8n's HTTP Request node downloading `body.url` as a file: the reference for memory. */
export function httpDownloadWorkflow(): WebhookWorkflow {
	return webhookWorkflow(
		'queuehttpdl00001',
		'http-download',
		'9c4e1f52-6d70-4a8b-9f23-7b8c9d0e1f03',
		[
			{
				id: 'queue-download',
				name: 'Download',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					url: '={{ $json.body.url }}',
					options: { response: { response: { responseFormat: 'file' } } },
				},
			},
		],
	);
}

export type { WebhookWorkflow };

/**
 * The long-job pattern: Create without waiting → Wait (65 s: from there n8n saves the execution
 * as waiting and frees the worker) → Retrieve with waiting, the video as binary. Body `{ prompt }`.
 */
export function longJobWorkflow(waitSeconds = 65): WebhookWorkflow {
	return webhookWorkflow('queuelongjob0001', 'veo-long', '5a1c8f63-2e94-4d7b-b6a0-8d9e0f1a2b04', [
		{
			id: 'queue-long-create',
			name: 'Create Job',
			type: VEO_TYPE,
			typeVersion: 1,
			parameters: {
				resource: 'video',
				operation: 'create',
				prompt: '={{ $json.body.prompt }}',
				model: { __rl: true, mode: 'list', value: 'veo3-fast' },
				size: '1280x720',
				waitForCompletion: false,
				options: {},
			},
			credentials: veoCredentials,
		},
		{
			id: 'queue-long-wait',
			name: 'Wait',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			webhookId: '6b2d9f74-3fa5-4e8c-a7b1-9e0f1a2b3c05',
			parameters: { amount: waitSeconds, unit: 'seconds' },
		},
		{
			id: 'queue-long-retrieve',
			name: 'Get Video',
			type: VEO_TYPE,
			typeVersion: 1,
			parameters: {
				resource: 'video',
				operation: 'retrieve',
				taskId: '={{ $json.id }}',
				waitForCompletion: true,
				output: 'binary',
				options: { pollInterval: 1, maxWaitMinutes: 5 },
			},
			credentials: veoCredentials,
		},
	]);
}
