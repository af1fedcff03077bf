import type {
	IDataObject,
	IExecuteFunctions,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { router } from '../../nodes/CometApiVeo/actions/router';
import { CometApiVeo } from '../../nodes/CometApiVeo/CometApiVeo.node';
import type { Runtime } from '../../nodes/CometApiVeo/transport/runtime';
import { fastRuntime } from './fast-runtime';
import { TestItemsNode } from './test-nodes';

export const VEO_NODE_TYPE = 'n8n-nodes-cometapi-veo.cometApiVeo';
export const ITEMS_NODE_TYPE = 'test.items';
/** The tool variant n8n generates from the node for an AI Agent (`usableAsTool`). */
export const VEO_TOOL_NODE_TYPE = `${VEO_NODE_TYPE}Tool`;

/** The shipped node, with the runtime handed to its router instead of the system clock. */
export class CometApiVeoWithRuntime extends CometApiVeo {
	constructor(runtime: Runtime) {
		super();
		// n8n calls execute with its own context as `this`, so the runtime travels in a closure.
		this.execute = async function (this: IExecuteFunctions) {
			return await router.call(this, runtime);
		};
	}
}

type AnyNodeType = INodeType | IVersionedNodeType;

/**
 * The node's tool variant as n8n's convertNodeToAiTool builds it at load time (n8n
 * tool-generation/ai-tools.js): the same node, its type and display name suffixed with "Tool",
 * a Tool Description added. Unlike n8n's, it keeps its main input and output, so a test feeds it
 * items and reads its answer like any node's; the agent's engine path runs it the same way.
 */
export function asToolVariant(node: INodeType): INodeType {
	const { description } = node;
	const tool = Object.create(node) as INodeType;
	tool.description = {
		...description,
		name: `${description.name}Tool`,
		displayName: `${description.displayName} Tool`,
		usableAsTool: undefined,
		properties: [
			{
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: description.description,
			},
			...description.properties,
		],
	};
	return tool;
}

/** Node types a test file has added to every engine run it starts (see useNodeTypes). */
const addedTypes: Record<string, AnyNodeType> = {};

/**
 * Adds node types (e.g. n8n's own built-in nodes, for workflow files that use them) to every
 * TestNodeTypes created afterwards in this test file; Jest gives each file its own modules.
 */
export function useNodeTypes(types: Record<string, AnyNodeType>): void {
	Object.assign(addedTypes, types);
}

/**
 * The node types the test engine knows: this package's node and the test-only start node,
 * and any a test file added with useNodeTypes.
 * The node runs on a fast clock unless a test gives another runtime (or 'system').
 */
export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, AnyNodeType>;

	constructor(runtime: Runtime | 'system' = fastRuntime()) {
		const veo = runtime === 'system' ? new CometApiVeo() : new CometApiVeoWithRuntime(runtime);
		this.types = {
			...addedTypes,
			[VEO_NODE_TYPE]: veo,
			[VEO_TOOL_NODE_TYPE]: asToolVariant(veo),
			[ITEMS_NODE_TYPE]: new TestItemsNode(),
		};
	}

	add(name: string, type: AnyNodeType): void {
		this.types[name] = type;
	}

	getByName(name: string): INodeType | IVersionedNodeType {
		const type = this.types[name];
		if (!type) throw new Error(`unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
