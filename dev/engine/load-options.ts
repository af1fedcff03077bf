import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type { ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { VEO_NODE_TYPE, TestNodeTypes } from './node-types';
import { additionalDataFor } from './run-workflow';

/**
 * n8n-core's own context for the editor's list searches and load options, for a Veo node whose
 * credential points at the given Base URL: what the editor hands `methods.listSearch`.
 */
export function loadOptionsContext(credential: {
	apiKey: string;
	baseUrl: string;
}): ILoadOptionsFunctions {
	const node: INode = {
		id: 'veo',
		name: 'Veo',
		type: VEO_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'video', operation: 'create' },
		credentials: { cometApiVeoApi: { id: '1', name: 'CometAPI Veo account' } },
	};
	const workflow = new Workflow({
		id: 'load-options',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(),
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'load-options', {
		id: 'load-options',
	} as never);
	const additionalData = additionalDataFor(hooks, { cometApiVeoApi: credential });
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.model');
}
