import type {
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	NodeParameterValueType,
	WorkflowSettingsBinaryMode,
} from 'n8n-workflow';
import { BINARY_MODE_SEPARATE, NodeHelpers, UserError } from 'n8n-workflow';
// n8n-core's own steps of getNodeParameter and its binary helpers, so the fake reads
// parameters and finds binaries exactly as a node's execution context does.
import {
	assertBinaryData,
	getBinaryHelperFunctions,
} from 'n8n-core/dist/execution-engine/node-execution-context/utils/binary-helper-functions';
import { cleanupParameterData } from 'n8n-core/dist/execution-engine/node-execution-context/utils/cleanup-parameter-data';
import { extractValue } from 'n8n-core/dist/execution-engine/node-execution-context/utils/extract-value';
import { validateValueAgainstSchema } from 'n8n-core/dist/execution-engine/node-execution-context/utils/validate-value-against-schema';

import { CometApiVeo } from '../../nodes/CometApiVeo/CometApiVeo.node';
import { VEO_NODE_TYPE } from './node-types';

/** What an expression sees: the item it is resolved for. */
export interface ExpressionScope {
	itemIndex: number;
	item: INodeExecutionData;
}

const expressions = new Map<string, (scope: ExpressionScope) => unknown>();

/**
 * A parameter value that is an expression, as `={{ ... }}` in a workflow: n8n stores it as
 * text and resolves it per item when the node reads it. Here the resolution is a function of
 * the item, so a test states what the expression gives (a number, an object...).
 */
export function expression(resolve: (scope: ExpressionScope) => unknown): string {
	const text = `={{ fakeExpression${expressions.size} }}`;
	expressions.set(text, resolve);
	return text;
}

function resolveExpressions(value: unknown, scope: ExpressionScope): unknown {
	if (typeof value === 'string') {
		const resolve = expressions.get(value);
		return resolve ? resolve(scope) : value;
	}
	if (Array.isArray(value)) return value.map((entry) => resolveExpressions(entry, scope));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, resolveExpressions(entry, scope)]),
		);
	}
	return value;
}

function pathGet(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** Anything the fake does not provide fails loudly, naming what was asked for. */
function strict<T extends object>(what: string, provided: T): T {
	return new Proxy(provided, {
		get(target, key, receiver) {
			if (typeof key === 'symbol' || key === 'then' || key in target)
				return Reflect.get(target, key, receiver) as unknown;
			throw new Error(`the fake execution context has no ${what}${String(key)}`);
		},
	});
}

export interface FakeContextOptions {
	/** The node's parameters as a workflow file holds them: only what the user set. */
	parameters: INodeParameters;
	/** The input items; one empty item by default. */
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** n8n's workflow setting binaryMode: binaries in `binary` (default) or in the json. */
	binaryMode?: WorkflowSettingsBinaryMode;
	nodeType?: INodeType;
}

export interface FakeContext extends IExecuteFunctions {
	/** The node as n8n runs it: its parameters with the description's defaults filled in. */
	readonly node: INode;
}

/**
 * A small IExecuteFunctions for calling an operation's `prepare` directly, in milliseconds.
 * getNodeParameter behaves like n8n's: defaults of top-level fields filled from the node's
 * description as n8n's Workflow does (a collection such as Options stays as given),
 * expressions resolved per item, resource locators extracted, values checked against the
 * description. Only what checking parameters needs is here; anything else throws.
 */
export function fakeExecuteFunctions(options: FakeContextOptions): FakeContext {
	const nodeType = options.nodeType ?? new CometApiVeo();
	const items = options.items ?? [{ json: {} }];
	const binaryMode = options.binaryMode ?? BINARY_MODE_SEPARATE;
	const node: INode = {
		id: 'veo',
		name: 'CometAPI Veo',
		type: VEO_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			options.parameters,
			true,
			false,
			node,
			nodeType.description,
		) ?? {};

	function getNodeParameter(
		name: string,
		itemIndex: number,
		fallback?: unknown,
		readOptions?: { extractValue?: boolean; skipValidation?: boolean },
	): unknown {
		const stored = pathGet(node.parameters, name) ?? fallback;
		if (stored === undefined) throw new UserError(`Could not get parameter "${name}"`);
		let value = resolveExpressions(stored, { itemIndex, item: items[itemIndex] });
		cleanupParameterData(value as NodeParameterValueType);
		if (readOptions?.extractValue) {
			value = extractValue(value as NodeParameterValueType, name, node, nodeType, itemIndex);
		}
		if (readOptions?.skipValidation) return value;
		return validateValueAgainstSchema(node, nodeType, value as never, name, 0, itemIndex);
	}

	const helpers = strict('helpers.', {
		assertBinaryData: (itemIndex: number, property: string) =>
			assertBinaryData({ main: [items] }, node, itemIndex, property, 0, binaryMode),
		// n8n's own: looks the file up in the binary store registered in the DI container.
		getBinaryMetadata: getBinaryHelperFunctions({} as never, 'fake-workflow').getBinaryMetadata,
	});

	return strict('', {
		node,
		getNodeParameter,
		getNode: () => node,
		// Not run as an AI Agent tool (n8n 1.x has no isToolExecution either).
		isToolExecution: () => false,
		getInputData: () => items,
		getWorkflowSettings: () => ({ binaryMode }),
		continueOnFail: () => options.continueOnFail ?? false,
		helpers,
	}) as unknown as FakeContext;
}
