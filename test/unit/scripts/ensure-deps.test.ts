/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- a test of scripts/ensure-deps.js on temp folders, run as a script too */
import { execFileSync } from 'node:child_process';
import {
	chmodSync,
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPTS = join(__dirname, '..', '..', '..', 'scripts');
const { whyInstall } = require(join(SCRIPTS, 'ensure-deps.js')) as {
	whyInstall: (root: string) => string | undefined;
};

const LOCK: {
	packages: Record<string, { name?: string; version?: string; dev?: boolean; optional?: boolean }>;
} = {
	packages: {
		'': { name: 'p' },
		'node_modules/a': { version: '1.0.0', dev: true },
		'node_modules/a/node_modules/b': { version: '2.0.0', dev: true },
		'node_modules/other-platform': { version: '3.0.0', dev: true, optional: true },
	},
};

let root: string;
beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'ensure-deps-'));
	writeFileSync(join(root, 'package-lock.json'), JSON.stringify(LOCK));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** What `npm ci` leaves: every locked package at its version (another platform's left out). */
function npmCi(): void {
	for (const [path, locked] of Object.entries(LOCK.packages)) {
		if (!path || locked.optional) continue;
		mkdirSync(join(root, path), { recursive: true });
		writeFileSync(join(root, path, 'package.json'), JSON.stringify({ version: locked.version }));
	}
	writeFileSync(join(root, 'node_modules', '.package-lock.json'), JSON.stringify(LOCK));
}

describe('ensure-deps installs only when node_modules does not hold the lock file', () => {
	it('a fresh clone (no node_modules) installs', () => {
		expect(whyInstall(root)).toBe('node_modules is missing');
	});

	it("the user's own npm ci counts as installed", () => {
		npmCi();
		expect(whyInstall(root)).toBeUndefined();
	});

	it('a changed lock file installs again', () => {
		npmCi();
		const changed = structuredClone(LOCK);
		changed.packages['node_modules/a/node_modules/b'].version = '2.1.0';
		writeFileSync(join(root, 'package-lock.json'), JSON.stringify(changed));
		expect(whyInstall(root)).toBe(
			'node_modules/a/node_modules/b is 2.0.0, the lock file says 2.1.0',
		);
	});

	it('a package missing from node_modules installs again', () => {
		npmCi();
		rmSync(join(root, 'node_modules', 'a', 'node_modules'), { recursive: true });
		expect(whyInstall(root)).toBe('node_modules/a/node_modules/b is missing');
	});

	it('an optional package may be absent but not at another version', () => {
		npmCi();
		mkdirSync(join(root, 'node_modules', 'other-platform'));
		writeFileSync(
			join(root, 'node_modules', 'other-platform', 'package.json'),
			JSON.stringify({ version: '2.9.9' }),
		);
		expect(whyInstall(root)).toMatch(/^node_modules\/other-platform is 2\.9\.9/);
	});

	it('the script runs npm ci on a fresh clone and not again after npm ci', () => {
		// The script as shipped, in a copy of the project, with an `npm` that only records its call.
		mkdirSync(join(root, 'scripts'));
		for (const file of ['ensure-deps.js', 'npm-retry.js'])
			copyFileSync(join(SCRIPTS, file), join(root, 'scripts', file));
		const bin = join(root, 'bin');
		mkdirSync(bin);
		const calls = join(root, 'npm-calls');
		writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "$@" >> "${calls}"\n`);
		chmodSync(join(bin, 'npm'), 0o755);
		const run = () =>
			execFileSync(process.execPath, [join(root, 'scripts', 'ensure-deps.js')], {
				env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
				stdio: 'ignore',
			});

		run();
		expect(readFileSync(calls, 'utf8')).toBe('ci --no-audit --no-fund\n');
		rmSync(calls);
		npmCi();
		run();
		expect(existsSync(calls)).toBe(false);
	});
});
