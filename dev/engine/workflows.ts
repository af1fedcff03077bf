import type { INode, INodeParameters } from 'n8n-workflow';

import { ITEMS_NODE_TYPE, VEO_NODE_TYPE, VEO_TOOL_NODE_TYPE } from './node-types';
import type { WorkflowDefinition, WorkflowRun } from './run-workflow';
import { runWorkflow } from './run-workflow';
import type { TestItem } from './test-nodes';

export interface VeoWorkflowOptions {
	items?: TestItem[];
	parameters: INodeParameters;
	continueOnFail?: boolean;
	/** "On Error: Continue (using error output)": failed items leave by a second output. */
	errorOutput?: boolean;
	/** Run the node's tool variant (`cometApiVeoTool`), as an AI Agent does. */
	asTool?: boolean;
	apiKey: string;
	baseUrl: string;
	runtime?: WorkflowDefinition['runtime'];
	binaryMode?: WorkflowDefinition['binaryMode'];
}

/** Test Items -> CometAPI Veo, with the credential pointing at the simulator. */
export function veoWorkflow(options: VeoWorkflowOptions): WorkflowDefinition {
	const itemsNode: INode = {
		id: 'items',
		name: 'Items',
		type: ITEMS_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{ json: {} }]) },
	};
	const veoNode: INode = {
		id: 'veo',
		name: 'Veo',
		type: options.asTool ? VEO_TOOL_NODE_TYPE : VEO_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters,
		credentials: { cometApiVeoApi: { id: '1', name: 'CometAPI Veo account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
	};
	return {
		nodes: [itemsNode, veoNode],
		connections: { Items: { main: [[{ node: 'Veo', type: 'main', index: 0 }]] } },
		credentials: { cometApiVeoApi: { apiKey: options.apiKey, baseUrl: options.baseUrl } },
		runtime: options.runtime,
		binaryMode: options.binaryMode,
	};
}

/** The usual engine test: veoWorkflow with the credential on the simulator, run to its end. */
export async function runOnSimulator(
	sim: { apiKey: string; baseUrl: string },
	options: Omit<VeoWorkflowOptions, 'apiKey' | 'baseUrl'>,
): Promise<WorkflowRun> {
	return await runWorkflow(veoWorkflow({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, ...options }));
}
