/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- end-to-end suite: runs the dev command */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort, n8nPaths, PROJECT_ROOT } from '../../dev/n8n-cli/n8n-cli';

const execFileAsync = promisify(execFile);

describe('npm run dev', () => {
	it('starts the real n8n editor with the node and its AI tool variant, the simulator and the examples', async () => {
		n8nPaths();
		const folder = mkdtempSync(join(tmpdir(), 'veo-dev-'));
		const env = { ...process.env, VEO_DEV_FOLDER: folder, N8N_PORT: String(await freePort()) };
		const tsNode = join(PROJECT_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
		const { stdout } = await execFileAsync(
			process.execPath,
			[
				tsNode,
				'--transpile-only',
				'--prefer-ts-exts',
				'-P',
				'tsconfig.test.json',
				'scripts/dev.ts',
				'--check',
			],
			{ cwd: PROJECT_ROOT, env, timeout: 300_000 },
		);
		expect(stdout).toContain(
			'dev mode check: n8n serves CUSTOM.cometApiVeo and its AI tool variant',
		);
		expect(stdout).toContain('the credential "CometAPI Veo (simulator)" points at it');
	});
});
