import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { CometApiVeoApi } from '../../credentials/CometApiVeoApi.credentials';
import { TestCredentialsHelper } from './credentials-helper';
import type { Runtime } from '../../nodes/CometApiVeo/transport/runtime';
import { TestNodeTypes } from './node-types';

export interface WorkflowDefinition {
	nodes: INode[];
	connections: IConnections;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The node's clock and limits: fast by default, 'system' for the shipped ones. */
	runtime?: Runtime | 'system';
	/** n8n's workflow setting binaryMode ('separate' by default, or 'combined'). */
	binaryMode?: 'separate' | 'combined';
}

export interface WorkflowRun {
	run: IRun;
	/** Output items of a node's first run, first output (or the one given). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error a node's first run ended with, if any. */
	nodeError(
		nodeName: string,
	): (Error & { description?: string; context?: Record<string, unknown> }) | undefined;
}

export interface StartedRun {
	/** Resolves when the engine's workflowExecuteAfter hook fires. */
	done: Promise<WorkflowRun>;
	/** Stops the execution as n8n's Stop button does: the execution's cancel signal fires. */
	cancel(): void;
}

const URL_BASE = 'http://127.0.0.1:5678';

export function additionalDataFor(
	hooks: ExecutionLifecycleHooks,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	const credentialTypes = { cometApiVeoApi: new CometApiVeoApi() };
	return {
		hooks,
		// n8n always sets it; convertBinaryData (binaryMode "combined") needs it for inline binaries.
		executionId: hooks.executionId,
		credentialsHelper: new TestCredentialsHelper(credentialTypes, credentials),
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${URL_BASE}/rest`,
		instanceBaseUrl: URL_BASE,
		formBaseUrl: `${URL_BASE}/form`,
		formWaitingBaseUrl: `${URL_BASE}/form-waiting`,
		formTestBaseUrl: `${URL_BASE}/form-test`,
		webhookBaseUrl: `${URL_BASE}/webhook`,
		webhookWaitingBaseUrl: `${URL_BASE}/webhook-waiting`,
		webhookTestBaseUrl: `${URL_BASE}/webhook-test`,
		mcpBaseUrl: `${URL_BASE}/mcp`,
		mcpTestBaseUrl: `${URL_BASE}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not used in these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Starts a workflow in n8n-core's WorkflowExecute, in this process, from its first node. */
export function startWorkflow(definition: WorkflowDefinition): StartedRun {
	const nodeTypes = new TestNodeTypes(definition.runtime);
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: definition.nodes,
		connections: definition.connections,
		active: false,
		nodeTypes,
		settings: {
			executionOrder: 'v1',
			...(definition.binaryMode ? { binaryMode: definition.binaryMode } : {}),
		},
	});
	const hooks = new ExecutionLifecycleHooks('manual', `exec-${Date.now()}`, {
		id: 'test-workflow',
		name: 'test',
		nodes: definition.nodes,
		connections: definition.connections,
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
		isArchived: false,
	} as never);
	let resolveFinished: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));

	const start = definition.nodes[0];
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const additionalData = additionalDataFor(hooks, definition.credentials ?? {});
	// The engine refuses some workflows synchronously (e.g. an empty required parameter).
	let execution: ReturnType<WorkflowExecute['processRunExecutionData']>;
	try {
		execution = new WorkflowExecute(
			additionalData,
			'manual',
			runExecutionData,
		).processRunExecutionData(workflow);
	} catch (error) {
		return { done: Promise.reject(error as Error), cancel: () => {} };
	}
	execution.catch(() => {});

	const done = finished.then((run): WorkflowRun => {
		const runData = run.data.resultData.runData;
		return {
			run,
			output: (nodeName, outputIndex = 0) =>
				runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [],
			nodeError: (nodeName) => runData[nodeName]?.[0]?.error as never,
		};
	});
	return { done, cancel: () => execution.cancel() };
}

export async function runWorkflow(definition: WorkflowDefinition): Promise<WorkflowRun> {
	return await startWorkflow(definition).done;
}
