import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CometApiVeo } from '../../nodes/CometApiVeo/CometApiVeo.node';
import { TestItemsNode } from './test-nodes';

export const VEO_NODE_TYPE = 'n8n-nodes-cometapi-veo.cometApiVeo';
export const ITEMS_NODE_TYPE = 'test.items';

/** The node types the test engine knows: this package's node and the test-only start node. */
export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		[VEO_NODE_TYPE]: new CometApiVeo(),
		[ITEMS_NODE_TYPE]: new TestItemsNode(),
	};

	add(name: string, type: INodeType): void {
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
