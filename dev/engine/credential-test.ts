import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INode, INodeType } from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { CometApiVeoApi } from '../../credentials/CometApiVeoApi.credentials';
import { additionalDataFor } from './run-workflow';
import { TestNodeTypes } from './node-types';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The credential's "Test" button as n8n's CredentialsTester runs it: the `test.request` of
 * the credential type becomes the routing of a temporary declarative node, which n8n-core's
 * RoutingNode sends with the credential applied. Any non-2xx answer is a failed test.
 */
export async function testCredential(
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const credentialType = new CometApiVeoApi();
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialType.test.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes = new TestNodeTypes();
	nodeTypes.add('credentialTest', nodeType);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'test', name: 'test' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {} as never);
	const additionalData = additionalDataFor(hooks, { [credentialType.name]: data });
	const runExecutionData = createRunExecutionData();
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: 'test',
		name: 'test',
		type: credentialType.name,
		data,
	});
	try {
		await routingNode.runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status?: number }; code?: string } }).cause;
		if (cause?.response?.status)
			return { status: 'Error', message: `HTTP ${cause.response.status}` };
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
