/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error, no-console -- a developer command, not node code */
/**
 * `npm run dev`: the real n8n editor on 127.0.0.1:5678 with this package loaded from dist/
 * (rebuilt on every change by tsc --watch; n8n reloads it), the CometAPI simulator beside it,
 * a "CometAPI Veo (simulator)" credential pointing at it and the examples imported.
 * `--check` starts everything, checks that n8n serves the node, and stops (used by the e2e suite).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { exampleNames, loadExample, prepareExample } from '../dev/n8n-cli/workflow-files';
import { importCredentials, importWorkflow, n8nPaths, PROJECT_ROOT } from '../dev/n8n-cli/n8n-cli';
import type { N8nInstance } from '../dev/n8n-cli/n8n-cli';
import { startSimulator } from '../dev/simulator';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const check = process.argv.includes('--check');
const port = Number(process.env.N8N_PORT ?? 5678);
const userFolder = process.env.VEO_DEV_FOLDER ?? join(PROJECT_ROOT, '.cache', 'dev-n8n');

/** n8n refuses to start with another key than the one it first saw, so keep it with the folder. */
function encryptionKey(): string {
	const file = join(userFolder, '.dev-encryption-key');
	if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex'));
	return readFileSync(file, 'utf8');
}

async function waitFor(url: string, seconds: number): Promise<void> {
	for (let i = 0; i < seconds * 4; i++) {
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${url} did not answer within ${seconds} s`);
}

/**
 * What the editor offers: the node types n8n serves to a signed-in user. On a fresh folder the
 * owner is set up first (only the check does that; a developer creates their own owner).
 */
async function servedNodeTypes(base: string): Promise<string> {
	const body = JSON.stringify({
		email: 'dev-check@example.com',
		firstName: 'Dev',
		lastName: 'Check',
		password: `Check-${randomBytes(8).toString('hex')}`,
	});
	let setup = new Response(null, { status: 404 });
	// /healthz answers before the REST routes are mounted: those 404 for a few more seconds.
	for (let i = 0; i < 240 && setup.status === 404; i++) {
		if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
		setup = await fetch(`${base}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
		});
	}
	const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0];
	if (!setup.ok || !cookie) throw new Error(`owner setup answered ${setup.status}`);
	const types = await fetch(`${base}/types/nodes.json`, { headers: { cookie } });
	return await types.text();
}

async function main(): Promise<void> {
	const paths = n8nPaths();
	mkdirSync(join(userFolder, 'out'), { recursive: true });
	const sim = await startSimulator({ clock: 'time', stepMs: 2000 });
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${paths.nodeBinDir}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey(),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		// The task runners' broker listens too: next to n8n, so two instances do not collide.
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_SECURE_COOKIE: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_RESTRICT_FILE_ACCESS_TO: join(userFolder, 'out'),
		N8N_CUSTOM_EXTENSIONS: join(PROJECT_ROOT, 'dist'),
		N8N_DEV_RELOAD: 'true',
	};
	delete env.NODE_ENV;
	const instance: N8nInstance = {
		userFolder,
		outFolder: join(userFolder, 'out'),
		env,
		run: async (args) =>
			await execFileAsync(paths.node, [paths.n8n, ...args], {
				env,
				cwd: userFolder,
				maxBuffer: 64 * 1024 * 1024,
			}),
	};

	const credentialId = 'cometapiveosim01';
	await importCredentials(instance, [
		{
			id: credentialId,
			name: 'CometAPI Veo (simulator)',
			type: 'cometApiVeoApi',
			data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
		},
	]);
	for (const name of exampleNames()) {
		const workflow = prepareExample(loadExample(name), {
			id: `dev${name.replace(/[^a-z]/g, '')}`.slice(0, 16),
			imageBaseUrl: `${sim.videoHostUrl}/images`,
			outputFolder: instance.outFolder,
			nodeType: 'CUSTOM.cometApiVeo',
			credentialId,
		});
		await importWorkflow(instance, workflow);
	}

	const children: ChildProcess[] = [];
	if (!check) {
		children.push(
			spawn(
				process.execPath,
				[
					join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
					'-p',
					'tsconfig.json',
					'--watch',
					'--preserveWatchOutput',
				],
				{
					cwd: PROJECT_ROOT,
					stdio: 'inherit',
				},
			),
		);
	}
	const n8n = spawn(paths.node, [paths.n8n, 'start'], {
		env,
		cwd: userFolder,
		stdio: check ? 'ignore' : 'inherit',
	});
	children.push(n8n);
	const stop = async () => {
		await Promise.all(
			children.map(
				async (child) =>
					await new Promise<void>((resolve) => {
						if (child.exitCode !== null || child.signalCode !== null) return resolve();
						child.once('exit', () => resolve());
						child.kill('SIGTERM');
					}),
			),
		);
		await sim.close();
	};
	process.on('SIGINT', () => void stop().then(() => process.exit(0)));
	process.on('SIGTERM', () => void stop().then(() => process.exit(0)));

	const base = `http://127.0.0.1:${port}`;
	try {
		await waitFor(`${base}/healthz`, 120);
		if (check) {
			const types = await servedNodeTypes(base);
			for (const name of ['CUSTOM.cometApiVeo', 'CUSTOM.cometApiVeoTool']) {
				if (!types.includes(`"name":"${name}"`))
					throw new Error(`n8n does not serve the node type ${name}`);
			}
			console.log('dev mode check: n8n serves CUSTOM.cometApiVeo and its AI tool variant');
		}
	} catch (error) {
		await stop();
		throw error;
	}
	console.log(`
n8n is ready at ${base} with the CometAPI Veo node (from dist/, rebuilt on change).
The CometAPI simulator answers at ${sim.baseUrl}; the credential "CometAPI Veo (simulator)" points at it,
and the examples are imported. Create the owner account on first start, then open a workflow and run it.
To use CometAPI itself, create a "CometAPI Veo API" credential with your key and https://api.cometapi.com.
Videos written by the examples land in ${instance.outFolder}. Stop with Ctrl-C.`);
	if (check) await stop();
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
