/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- a test of scripts/build-tools.js, run as a script too */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Plan {
	action: 'none' | 'install' | 'stop';
	missing: string[];
	packages?: string[];
	message?: string;
}
const { buildToolsPlan } = require(
	join(__dirname, '..', '..', '..', 'scripts', 'build-tools.js'),
) as {
	buildToolsPlan: (found: {
		has: (c: string) => boolean;
		isRoot: boolean;
		hasApt: boolean;
	}) => Plan;
};

const having =
	(...commands: string[]) =>
	(command: string) =>
		commands.includes(command);

describe('the sqlite3 build checks for python3, make and g++ first', () => {
	it('all three there: nothing to do', () => {
		expect(
			buildToolsPlan({ has: having('python3', 'make', 'g++'), isRoot: false, hasApt: false }),
		).toEqual({ action: 'none', missing: [] });
	});

	it('root on Debian (CI on a fresh machine): installs only what is missing', () => {
		expect(buildToolsPlan({ has: having('python3'), isRoot: true, hasApt: true })).toEqual({
			action: 'install',
			missing: ['make', 'g++'],
			packages: ['make', 'g++'],
		});
	});

	it('not root: stops before the build, naming what is missing and the command', () => {
		const plan = buildToolsPlan({ has: having('make'), isRoot: false, hasApt: true });
		expect(plan).toMatchObject({ action: 'stop', missing: ['python3', 'g++'] });
		expect(plan.message).toContain('missing: python3, g++');
		expect(plan.message).toContain('sudo apt-get install python3 g++');
	});

	it('root without apt-get: stops too', () => {
		const plan = buildToolsPlan({ has: having('python3', 'make'), isRoot: true, hasApt: false });
		expect(plan).toMatchObject({ action: 'stop', missing: ['g++'] });
		expect(plan.message).toContain('(on Debian or Ubuntu: apt-get install g++;');
	});

	it('with none of them on PATH and no apt-get, ensureBuildTools stops with that message', () => {
		const script = `require(${JSON.stringify(join(__dirname, '..', '..', '..', 'scripts', 'build-tools.js'))}).ensureBuildTools(() => {})`;
		const emptyBin = mkdtempSync(join(tmpdir(), 'no-tools-'));
		const run = spawnSync(process.execPath, ['-e', script], {
			env: { PATH: emptyBin },
			encoding: 'utf8',
		});
		rmSync(emptyBin, { recursive: true });
		expect(run.status).not.toBe(0);
		expect(run.stderr).toContain('missing: python3, make, g++');
	});
});
