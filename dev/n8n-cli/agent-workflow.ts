import type { ExampleWorkflow } from './workflow-files';
import { loadExample } from './workflow-files';

/**
 * How n8n names the tool variant of a usableAsTool node: the node's type + "Tool". n8n 1.85.0 and
 * later (2.x included) generate it for community packages with no setting; the
 * N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE flag of earlier 1.8x releases is read by neither 1.123.x
 * nor 2.41.1.
 */
export const VEO_TOOL_TYPE = 'n8n-nodes-cometapi-veo.cometApiVeoTool';

/** examples/agent-makes-a-video.json as a user imports it, with a 1-second poll for the test. */
export function prepareAgentExample(options: { id: string }): ExampleWorkflow {
	const workflow = loadExample('agent-makes-a-video');
	workflow.id = options.id;
	for (const node of workflow.nodes) {
		if (node.type === VEO_TOOL_TYPE) {
			node.parameters.options = { ...(node.parameters.options as object), pollInterval: 1 };
		}
	}
	return workflow;
}
