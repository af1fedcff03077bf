/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness, not node code */
import type {
	INodeTypeDescription,
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { readFileSync, rmSync } from 'node:fs';

/** A binary property of a test item: a file on disk stored through n8n's binary helpers. */
export interface TestBinary {
	path: string;
	mimeType?: string;
	fileName?: string;
	/** Remove the file (and its metadata) from n8n's store again, as pruning would. */
	goneFromStore?: boolean;
}

export interface TestItem {
	json?: IDataObject;
	/** Output as the item's `binary`; in binaryMode "combined" n8n-core then moves it into the json. */
	binary?: Record<string, TestBinary>;
}

/**
 * The start node of test workflows: emits the items of its `items` parameter, putting their
 * files into n8n's binary store with prepareBinaryData, as a Read File node would.
 */
export class TestItemsNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items for tests',
		defaults: { name: 'Test Items' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | TestItem[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as TestItem[];
		const output: INodeExecutionData[] = [];
		for (const [index, item] of items.entries()) {
			const binary: IBinaryKeyData = {};
			for (const [name, file] of Object.entries(item.binary ?? {})) {
				binary[name] = await this.helpers.prepareBinaryData(
					readFileSync(file.path),
					file.fileName ?? file.path.split('/').pop(),
					file.mimeType,
				);
				if (file.goneFromStore && binary[name].id) {
					const path = this.helpers.getBinaryPath(binary[name].id);
					for (const gone of [path, `${path}.metadata`]) rmSync(gone, { force: true });
				}
			}
			output.push({
				json: item.json ?? {},
				...(item.binary ? { binary } : {}),
				pairedItem: { item: index },
			});
		}
		return [output];
	}
}
