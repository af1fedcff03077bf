/* eslint-disable @n8n/community-nodes/no-restricted-imports -- end-to-end harness: reads the example files */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from './n8n-cli';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	[key: string]: unknown;
}

const EXAMPLES = join(PROJECT_ROOT, 'examples');
const VEO_TYPE = 'n8n-nodes-cometapi-veo.cometApiVeo';

export function exampleNames(): string[] {
	return readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.replace(/\.json$/, ''));
}

export function loadExample(name: string): ExampleWorkflow {
	return JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as ExampleWorkflow;
}

interface Assignment {
	name: string;
	value: unknown;
}

/** The example's Settings node: what a user edits (prompt, image URLs, output folder). */
export function exampleSettings(workflow: ExampleWorkflow): Record<string, unknown> {
	const settings = workflow.nodes.find((node) => node.name === 'Settings');
	const assignments =
		(settings?.parameters.assignments as { assignments: Assignment[] } | undefined)?.assignments ??
		[];
	return Object.fromEntries(assignments.map((assignment) => [assignment.name, assignment.value]));
}

/**
 * The example as a user imports it, pointed at the test world: the public image URLs (the
 * Settings values `imageUrl`, `firstFrameUrl`, `lastFrameUrl`) swapped for the simulator's
 * second host, which serves the example images, short waits and polls and, when
 * `outputFolder` is given, that folder (the one the test allows with N8N_RESTRICT_FILE_ACCESS_TO)
 * instead of the shipped `.n8n-files`.
 */
export function prepareExample(
	workflow: ExampleWorkflow,
	options: {
		id: string;
		imageBaseUrl: string;
		outputFolder?: string;
		nodeType?: string;
		credentialId?: string;
	},
): ExampleWorkflow {
	const copy = JSON.parse(JSON.stringify(workflow)) as ExampleWorkflow;
	copy.id = options.id;
	const swapped: Record<string, string> = {
		imageUrl: `${options.imageBaseUrl}/first-frame.png`,
		firstFrameUrl: `${options.imageBaseUrl}/first-frame.png`,
		lastFrameUrl: `${options.imageBaseUrl}/last-frame.jpg`,
	};
	if (options.outputFolder !== undefined) swapped.outputFolder = options.outputFolder;
	for (const node of copy.nodes) {
		if (node.name === 'Settings') {
			const assignments = (node.parameters.assignments as { assignments: Assignment[] })
				.assignments;
			for (const assignment of assignments) {
				if (assignment.name in swapped) assignment.value = swapped[assignment.name];
			}
		}
		if (node.type === 'n8n-nodes-base.wait') node.parameters.amount = 1;
		if (node.type === VEO_TYPE) {
			node.parameters.options = { ...(node.parameters.options as object), pollInterval: 1 };
			if (options.nodeType) node.type = options.nodeType;
			if (options.credentialId) {
				(
					node as WorkflowNode & { credentials: Record<string, { id: string }> }
				).credentials.cometApiVeoApi.id = options.credentialId;
			}
		}
	}
	return copy;
}
