import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toolAnswerOfError, toToolItems } from './tool-answer';

/**
 * A run of the node's tool variant (isToolRun): the output becomes tool answers, and a failure
 * of the whole run (the spend limit, a bad option) is answered too, one answer per input item,
 * instead of thrown. A thrown error reaches the model as `{ error: message }` at best on n8n 2.x
 * and ends the whole execution on 1.x; an answer reaches it on both, with its `failure`.
 * Item failures are already items: as a tool the batch runs as with Continue On Fail (runJobs).
 * A stopped execution still throws: nobody is left to read an answer.
 */
export async function runAsTool(
	this: IExecuteFunctions,
	run: () => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	try {
		const [items] = await run();
		return [toToolItems(items)];
	} catch (error) {
		// A stop, or a throw that is no error, is passed on as it came (already an n8n error or not ours).
		if (this.getExecutionCancelSignal()?.aborted || !(error instanceof Error))
			return await Promise.reject(error);
		const answer = toolAnswerOfError(error as Error & { context?: Record<string, never> });
		return [this.getInputData().map((_, item) => ({ json: { ...answer }, pairedItem: { item } }))];
	}
}
