/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- end-to-end harness: runs the real n8n CLI */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A port nothing listens on now, from the OS. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** What scripts/ensure-n8n.js installed into .cache/. */
export interface N8nPaths {
	nodeBinDir: string;
	node: string;
	/** The Node this n8n runs on, e.g. 24.21.0 (2.x) or 20.20.2 (1.x). */
	nodeVersion?: string;
	n8n: string;
	n8nVersion: string;
	scanner: string;
}

export const PROJECT_ROOT = join(__dirname, '..', '..');

interface EnsureN8nModule {
	ensureN8n: (options?: { version?: string }) => N8nPaths;
	DEFAULT_N8N_VERSION: string;
	E2E_N8N_VERSIONS: string[];
}

const ensureN8nModule = (): EnsureN8nModule =>
	require(join(PROJECT_ROOT, 'scripts', 'ensure-n8n.js')) as EnsureN8nModule;

/**
 * The n8n of `version` (default: N8N_VERSION, else the pinned 2.41.1) with the Node it runs on,
 * installed into .cache/ by scripts/ensure-n8n.js when missing (a 1.x install takes minutes).
 */
export const n8nPaths = (version?: string): N8nPaths => ensureN8nModule().ensureN8n({ version });

/**
 * The n8n versions a version-parameterised suite runs against: N8N_E2E_VERSIONS (comma
 * separated, e.g. `2.41.1` to skip 1.x) or every version scripts/ensure-n8n.js lists for the
 * suite (the pinned 2.41.1 and the newest 1.x).
 */
export function n8nVersionsUnderTest(): string[] {
	const chosen = (process.env.N8N_E2E_VERSIONS ?? '')
		.split(',')
		.map((version) => version.trim())
		.filter(Boolean);
	return chosen.length > 0 ? chosen : ensureN8nModule().E2E_N8N_VERSIONS;
}

/** n8n's major version, 1 or 2: the harness's few differences hang on it. */
export const n8nMajor = (paths: N8nPaths): number => Number(paths.n8nVersion.split('.')[0]);

/** Debian's Chromium for the editor test, installed by scripts/ensure-chromium.js when missing. */
export const chromiumPath = (): string =>
	(
		require(join(PROJECT_ROOT, 'scripts', 'ensure-chromium.js')) as { ensureChromium: () => string }
	).ensureChromium();

export interface N8nInstance {
	userFolder: string;
	outFolder: string;
	/** The n8n version this instance runs (from its N8nPaths); absent means the pinned 2.x. */
	n8nVersion?: string;
	env: NodeJS.ProcessEnv;
	run(args: string[]): Promise<{ stdout: string; stderr: string }>;
}

/**
 * A scratch n8n: its own user folder (SQLite database, binary data on disk), Node 24 first on
 * PATH, telemetry off, listening only on 127.0.0.1. `extraEnv` can load the package through
 * N8N_CUSTOM_EXTENSIONS instead of the community-package folder.
 */
export function scratchN8n(
	paths: N8nPaths,
	extraEnv: NodeJS.ProcessEnv = {},
): N8nInstance & { withEnv(extraEnv: NodeJS.ProcessEnv): N8nInstance } {
	const userFolder = mkdtempSync(join(tmpdir(), 'veo-n8n-'));
	const outFolder = join(userFolder, 'out');
	mkdirSync(outFolder, { recursive: true });
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${paths.nodeBinDir}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_RESTRICT_FILE_ACCESS_TO: outFolder,
		N8N_LOG_LEVEL: 'info',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		// Each CLI run starts a task-runner broker; a port of its own avoids clashing with a dev n8n.
		N8N_RUNNERS_BROKER_PORT: String(20000 + Math.floor(Math.random() * 20000)),
		...extraEnv,
	};
	// Under jest NODE_ENV is "test", which makes n8n keep its database in memory and log nothing.
	delete env.NODE_ENV;
	// The harness's choice of n8n (scripts/ensure-n8n.js) is not n8n's business.
	delete env.N8N_VERSION;
	delete env.N8N_E2E_VERSIONS;
	return instanceWith(paths, userFolder, outFolder, env);
}

function instanceWith(
	paths: N8nPaths,
	userFolder: string,
	outFolder: string,
	env: NodeJS.ProcessEnv,
): N8nInstance & { withEnv(extraEnv: NodeJS.ProcessEnv): N8nInstance } {
	return {
		userFolder,
		outFolder,
		n8nVersion: paths.n8nVersion,
		env,
		async run(args) {
			try {
				return await execFileAsync(paths.node, [paths.n8n, ...args], {
					env,
					cwd: userFolder,
					maxBuffer: 256 * 1024 * 1024,
					timeout: 180_000,
				});
			} catch (error) {
				// n8n prints why it failed on stdout (e.g. a crash at start-up): keep the end in the message.
				const failed = error as Error & { stdout?: string };
				const tail = (failed.stdout ?? '').trim().split('\n').slice(-15).join('\n');
				if (tail) failed.message = `${failed.message}\n--- n8n's output (end) ---\n${tail}`;
				throw failed;
			}
		},
		/** The same n8n (user folder, database, key) run with some variables changed. */
		withEnv: (extraEnv) => instanceWith(paths, userFolder, outFolder, { ...env, ...extraEnv }),
	};
}

/**
 * Where n8n's filesystem binary mode keeps a binary, by its id (`filesystem-v2:<path>`): below
 * `.n8n/storage` in n8n 2.x, `.n8n/binaryData` in 1.x.
 */
export function binaryDataFile(instance: N8nInstance, id: string): string {
	const [, fileId] = id.split(':');
	const folder = Number((instance.n8nVersion ?? '2').split('.')[0]) < 2 ? 'binaryData' : 'storage';
	return join(instance.userFolder, '.n8n', folder, fileId);
}

/** Installs the packed tarball the way n8n installs a community package. */
export async function installPackage(instance: N8nInstance, tarball: string): Promise<void> {
	const nodesFolder = join(instance.userFolder, '.n8n', 'nodes');
	mkdirSync(nodesFolder, { recursive: true });
	writeFileSync(
		join(nodesFolder, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }),
	);
	await execFileAsync(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--omit=dev',
			'--omit=peer',
			'--no-audit',
			'--no-fund',
			'--no-package-lock',
			tarball,
		],
		{ cwd: nodesFolder, env: process.env },
	);
}

export async function importCredentials(
	instance: N8nInstance,
	credentials: unknown[],
): Promise<void> {
	const file = join(instance.userFolder, 'credentials.json');
	writeFileSync(file, JSON.stringify(credentials));
	await instance.run(['import:credentials', `--input=${file}`]);
}

export async function importWorkflow(instance: N8nInstance, workflow: unknown): Promise<void> {
	const file = join(instance.userFolder, `workflow-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(workflow));
	await instance.run(['import:workflow', `--input=${file}`]);
}

export interface CliRun {
	exitCode: number;
	/** The execution's run data as `n8n execute --rawOutput` prints it. */
	result?: {
		data: {
			resultData: {
				runData: Record<
					string,
					Array<{
						data?: {
							main: Array<
								Array<{
									json: Record<string, unknown>;
									binary?: Record<
										string,
										{ id?: string; fileName?: string; mimeType?: string; fileSize?: string }
									>;
								}>
							>;
						};
						error?: { message: string };
						/** How long the run took (ms), as n8n measured it. */
						executionTime?: number;
					}>
				>;
				error?: { message: string };
			};
		};
		status?: string;
	};
	output: string;
}

/** `n8n execute --id=… --rawOutput`: log lines come first, then the run's JSON. */
export async function executeWorkflow(instance: N8nInstance, workflowId: string): Promise<CliRun> {
	let output = '';
	let exitCode = 0;
	try {
		const { stdout, stderr } = await instance.run(['execute', `--id=${workflowId}`, '--rawOutput']);
		output = `${stdout}\n${stderr}`;
	} catch (error) {
		const failed = error as { code?: number; stdout?: string; stderr?: string };
		exitCode = typeof failed.code === 'number' ? failed.code : 1;
		output = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`;
	}
	const start = output.split('\n').findIndex((line) => line.startsWith('{'));
	let result: CliRun['result'];
	if (start >= 0) {
		const text = output.split('\n').slice(start).join('\n');
		const end = text.lastIndexOf('}');
		try {
			result = JSON.parse(text.slice(0, end + 1)) as CliRun['result'];
		} catch {
			result = undefined;
		}
	}
	return { exitCode, result, output };
}

/** `n8n start` in the background, until stop(). With `logFile`, its output goes there (for a failing test's diagnosis). */
export function startN8n(
	paths: N8nPaths,
	instance: N8nInstance,
	port: number,
	options: { logFile?: string } = {},
): { process: ChildProcess; baseUrl: string; stop(): Promise<void> } {
	const log = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
	const child = spawn(paths.node, [paths.n8n, 'start'], {
		env: { ...instance.env, N8N_PORT: String(port) },
		cwd: instance.userFolder,
		stdio: ['ignore', log, log],
	});
	if (typeof log === 'number') closeSync(log);
	return {
		process: child,
		baseUrl: `http://127.0.0.1:${port}`,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			await new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			});
		},
	};
}

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** The owner account a scratch n8n is set up with (`POST /rest/owner/setup`). */
export interface N8nOwner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export function scratchOwner(): N8nOwner {
	return {
		email: 'owner@example.com',
		firstName: 'Test',
		lastName: 'Owner',
		password: `Owner-${randomBytes(8).toString('hex')}A1`,
	};
}

/**
 * Sets up the owner of a freshly started n8n and returns the session cookie. Waits (bounded) for
 * n8n to come up: /healthz answers before the REST routes are mounted, which 404 a few seconds more.
 */
export async function setupOwner(
	baseUrl: string,
	owner: N8nOwner,
	timeoutMs = 120_000,
): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	while (Date.now() < deadline) {
		try {
			const response = await fetch(`${baseUrl}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(owner),
			});
			// While it starts, n8n answers every path with 200 "n8n is starting up" (text/html);
			// right after, the REST routes 404 for a few more seconds.
			const starting =
				!(response.headers.get('content-type') ?? '').includes('json') || response.status === 404;
			last = `${response.status} ${(await response.text()).slice(0, 300)}`;
			if (!starting && response.ok) {
				const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
				if (!cookie) throw new Error('owner setup answered without a session cookie');
				return cookie;
			}
			if (!starting) throw new Error(`owner setup answered ${last}`);
		} catch (error) {
			if (error instanceof Error && error.message.startsWith('owner setup')) throw error;
			last = String(error);
		}
		await pause(250);
	}
	throw new Error(
		`n8n at ${baseUrl} did not accept the owner setup within ${timeoutMs / 1000} s (last: ${last})`,
	);
}

/** n8n's REST API as the signed-in owner (the calls the editor itself makes). */
export async function restCall<T>(
	baseUrl: string,
	cookie: string,
	method: string,
	path: string,
	body?: unknown,
): Promise<T> {
	const response = await fetch(`${baseUrl}/rest${path}`, {
		method,
		headers: { cookie, 'content-type': 'application/json', 'browser-id': 'e2e' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`${method} /rest${path} answered ${response.status}: ${text.slice(0, 500)}`);
	const parsed = JSON.parse(text) as { data: T };
	return parsed.data;
}
