/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test reading the source tree */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const NODE_DIR = join(__dirname, '..', '..', 'nodes', 'CometApiVeo');

// The node file -> actions (and methods) -> engine -> media -> cometapi -> transport -> helpers
// -> failures.ts: each may import its own layer or a lower one, never a higher one.
const RANK: Record<string, number> = {
	'CometApiVeo.node.ts': 0,
	actions: 1,
	methods: 1,
	engine: 2,
	media: 3,
	cometapi: 4,
	transport: 5,
	helpers: 6,
	'failures.ts': 7,
};
const LAYERS = Object.keys(RANK);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

function layerOf(file: string): string {
	const first = relative(NODE_DIR, file).split('/')[0];
	// An import names a file without its extension (../failures).
	const top = LAYERS.includes(`${first}.ts`) ? `${first}.ts` : first;
	if (!LAYERS.includes(top)) throw new Error(`${file} is in no layer: add its folder to LAYERS`);
	return top;
}

function relativeImports(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const specifiers = [...text.matchAll(/^(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)].map(
		(match) => match[1],
	);
	return specifiers.map((specifier) => resolve(dirname(file), specifier));
}

describe('Imports point one way: node file -> actions -> engine -> media -> cometapi -> transport', () => {
	const files = sourceFiles(NODE_DIR);

	it('finds the layers and their imports', () => {
		expect(new Set(files.map(layerOf))).toEqual(new Set(LAYERS));
		expect(files.flatMap(relativeImports).length).toBeGreaterThan(30);
	});

	it.each(files.map((file) => [relative(NODE_DIR, file), file]))(
		'%s imports nothing from a higher layer',
		(_name, file) => {
			const upward = relativeImports(file)
				.filter((target) => target.startsWith(NODE_DIR))
				.filter((target) => RANK[layerOf(target)] < RANK[layerOf(file)])
				.map((target) => relative(NODE_DIR, target));
			expect(upward).toEqual([]);
		},
	);

	it('catches an upward import (the check itself can fail)', () => {
		const engineFile = join(NODE_DIR, 'engine', 'jobs.ts');
		const actionTarget = join(NODE_DIR, 'actions', 'router');
		expect(RANK[layerOf(actionTarget + '.ts')] < RANK[layerOf(engineFile)]).toBe(true);
	});
});
