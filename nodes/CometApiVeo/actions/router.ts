import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Operation } from '../engine/jobs';
import { runJobs } from '../engine/jobs';
import type { Runtime } from '../transport/runtime';
import { SYSTEM_RUNTIME } from '../transport/runtime';
import * as video from './video';
import { readMaxConcurrentJobs } from '../engine/run-options';
import { isToolRun } from '../engine/tool-answer';
import { runAsTool } from '../engine/tool-run';
import { toNodeError } from '../engine/node-error';
import { failedAs } from '../failures';

/**
 * Picks the operation and hands the items to the batch owner; as an AI Agent's tool, its output
 * and its failures become tool answers (engine/tool-run.ts). Tests pass a faster runtime.
 */
export async function router(
	this: IExecuteFunctions,
	runtime: Runtime = SYSTEM_RUNTIME,
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = (
		resource === 'video'
			? video.operations[operationName as keyof typeof video.operations]
			: undefined
	) as Operation<unknown> | undefined;
	if (!operation) {
		const error = new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported`,
		);
		throw toNodeError(this, failedAs(error, { kind: 'invalid_request', retryable: false }));
	}
	const run = async () =>
		await runJobs.call(this, operation, readMaxConcurrentJobs.call(this), runtime);
	return isToolRun(this) ? await runAsTool.call(this, run) : await run();
}
