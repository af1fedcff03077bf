import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import * as video from './actions/video';
import { CREDENTIAL_TYPE } from './transport';
import { listSearch } from './methods';

/** Description and wiring only: operations live in actions/, HTTP in transport/. */
export class CometApiVeo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CometAPI Veo',
		name: 'cometApiVeo',
		icon: { light: 'file:cometApiVeo.svg', dark: 'file:cometApiVeo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Generate videos with Google Veo through CometAPI',
		defaults: { name: 'CometAPI Veo' },
		usableAsTool: true,
		hints: video.hints,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Video', value: 'video' }],
				default: 'video',
			},
			...video.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
