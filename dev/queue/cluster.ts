/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- queue-mode harness: runs the real n8n main and workers */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { N8nInstance, N8nPaths } from '../n8n-cli/n8n-cli';
import {
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	scratchN8n,
	scratchOwner,
	setupOwner,
} from '../n8n-cli/n8n-cli';
import { packPackage } from '../n8n-cli/package';
import type { Started } from './processes';
import { GiveUp, startProcess, uniquePort, waitFor } from './processes';
import type { Postgres, Redis } from './services';
import { servicePaths, startPostgres, startRedis } from './services';
import type { WebhookWorkflow } from './workflows';
import { veoCredential } from './workflows';

export interface QueueWorker {
	name: string;
	/** n8n's worker id is `worker-<hostname>` here: each worker gets a hostname of its own. */
	hostname: string;
	pid: number;
	process: Started;
	instance: N8nInstance;
	log(): string;
	/** Peak resident memory of the worker's n8n process (VmHWM from /proc), MB. */
	peakRssMb(): number;
	/** The executions this worker started ("Worker started execution X"), from its log. */
	startedExecutions(): string[];
}

export interface ClusterOptions {
	workflows: WebhookWorkflow[];
	apiKey: string;
	baseUrl: string;
	/** Extra environment for every n8n process (e.g. shorter Bull lock timings). */
	env?: NodeJS.ProcessEnv;
}

/** VmHWM of a process, MB (undefined once it is gone). */
export function vmHwmMb(pid: number): number | undefined {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * n8n in queue mode on this machine: Postgres and Redis (Debian's, run by us), one main
 * (`n8n start`) and any number of workers (`n8n worker`), each n8n process with a user folder
 * of its own where the packed tarball is installed as a community package. stop() stops all.
 */
export class QueueCluster {
	readonly folder: string;
	readonly paths: N8nPaths;
	pg!: Postgres;
	redis!: Redis;
	tarball!: string;
	main!: Started;
	mainInstance!: N8nInstance;
	mainUrl!: string;
	cookie!: string;
	readonly workers: QueueWorker[] = [];
	/** Seconds each set-up step took (for the suite's budget). */
	readonly timings: Record<string, number> = {};
	private readonly sharedEnv: NodeJS.ProcessEnv = {};
	private readonly folders = new Map<string, N8nInstance>();

	private constructor() {
		this.paths = n8nPaths();
		this.folder = mkdtempSync(join(tmpdir(), 'veo-queue-'));
		// Postgres runs as its own user and must reach its data folder below this one.
		chmodSync(this.folder, 0o755);
		mkdirSync(join(this.folder, 'logs'));
	}

	logFile(name: string): string {
		return join(this.folder, 'logs', `${name}.log`);
	}

	/** Services, the main with the workflows published and the owner set up; no workers yet. */
	static async start(options: ClusterOptions): Promise<QueueCluster> {
		const cluster = new QueueCluster();
		try {
			await cluster.startMain(options);
		} catch (error) {
			await cluster.stop();
			throw error;
		}
		return cluster;
	}

	private async startMain(options: ClusterOptions): Promise<void> {
		let mark = Date.now();
		const step = (name: string) => {
			this.timings[name] = Math.round((Date.now() - mark) / 100) / 10;
			mark = Date.now();
		};
		const services = servicePaths();
		const [pg, redis, packed] = await Promise.all([
			startPostgres(services, this.folder),
			startRedis(services, this.folder),
			packPackage(),
		]);
		this.pg = pg;
		this.redis = redis;
		this.tarball = packed.tarball;
		step('postgres, redis, npm pack');
		Object.assign(this.sharedEnv, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			QUEUE_BULL_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...options.env,
		});

		const main = await this.userFolder('main');
		this.mainInstance = main;
		step('main user folder, package installed');
		// Migrations run with the first command; then the workflows, published so the main
		// registers their production webhooks when it starts.
		await importCredentials(main, [veoCredential(options.apiKey, options.baseUrl)]);
		await importWorkflow(main, options.workflows);
		step('migrations, import credentials and workflows');
		await Promise.all(
			options.workflows.map(
				async (workflow) => await main.run(['publish:workflow', `--id=${workflow.id}`]),
			),
		);
		step('publish workflows');

		const port = await uniquePort();
		this.mainUrl = `http://127.0.0.1:${port}`;
		this.main = startProcess('main', this.paths.node, [this.paths.n8n, 'start'], {
			env: {
				...main.env,
				N8N_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(await uniquePort()),
			},
			cwd: main.userFolder,
			logFile: this.logFile('main'),
		});
		this.cookie = await setupOwner(this.mainUrl, scratchOwner(), 180_000);
		step('main started, owner set up');
		const paths = options.workflows.map((workflow) => workflow.path).sort();
		await waitFor(
			'the main to register the production webhooks',
			async () => {
				const rows = await this.pg.query<{ webhookPath: string }>(
					'select "webhookPath" from webhook_entity',
				);
				const registered = rows.map((row) => row.webhookPath).sort();
				return paths.every((path) => registered.includes(path)) ? true : undefined;
			},
			120_000,
		);
		step('webhooks registered');
	}

	/** A user folder with the package installed (once per name; a restarted worker reuses it). */
	private async userFolder(name: string): Promise<N8nInstance> {
		const existing = this.folders.get(name);
		if (existing) return existing;
		const instance = scratchN8n(this.paths, this.sharedEnv);
		// Left unset on purpose: in queue mode n8n 2.41 defaults to `database`.
		delete instance.env.N8N_DEFAULT_BINARY_DATA_MODE;
		await installPackage(instance, this.tarball);
		this.folders.set(name, instance);
		return instance;
	}

	/** An `n8n worker --concurrency=N`, ready (its log says so and /healthz/readiness answers). */
	async startWorker(name: string, concurrency: number): Promise<QueueWorker> {
		const startedAt = Date.now();
		const instance = await this.userFolder(name);
		const healthPort = await uniquePort();
		const env = {
			...instance.env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await uniquePort()),
		};
		const hostname = `veo-${name}`;
		const n8nArgs = [this.paths.n8n, 'worker', `--concurrency=${concurrency}`];
		// Where /.dockerenv exists n8n names a worker after the hostname: a UTS namespace of its
		// own per worker (unshare -u, then exec: the PID stays n8n's) keeps the ids apart.
		const started = isRoot
			? startProcess(
					name,
					'unshare',
					['-u', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, this.paths.node, ...n8nArgs],
					{ env, cwd: instance.userFolder, logFile: this.logFile(name) },
				)
			: startProcess(name, this.paths.node, n8nArgs, {
					env,
					cwd: instance.userFolder,
					logFile: this.logFile(name),
				});
		await waitFor(
			`worker ${name} to be ready`,
			async () => {
				if (!started.running())
					throw new GiveUp(`worker ${name} exited: ${started.log().slice(-3000)}`);
				if (!started.log().includes('n8n worker is now ready')) return undefined;
				const response = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`);
				return response.ok ? true : undefined;
			},
			180_000,
		);
		const worker: QueueWorker = {
			name,
			hostname,
			pid: started.pid,
			process: started,
			instance,
			log: () => started.log(),
			peakRssMb: () => vmHwmMb(started.pid) ?? NaN,
			startedExecutions: () =>
				[...started.log().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]),
		};
		this.timings[`${name} started`] = Math.round((Date.now() - startedAt) / 100) / 10;
		this.workers.push(worker);
		return worker;
	}

	async stopWorker(worker: QueueWorker): Promise<void> {
		await worker.process.stop();
		this.workers.splice(this.workers.indexOf(worker), 1);
	}

	/** POST {main}/webhook/{path}, as an operator's system would call it. */
	async webhook(path: string, body: unknown): Promise<void> {
		const response = await fetch(`${this.mainUrl}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`webhook ${path} answered ${response.status}: ${text.slice(0, 300)}`);
	}

	/** Everything this cluster started, stopped (workers and main together, then the services). */
	async stop(): Promise<void> {
		await Promise.all([
			...this.workers.map(async (worker) => await worker.process.stop()),
			this.main?.stop(),
		]);
		this.workers.length = 0;
		await this.redis?.process.stop();
		await this.pg?.process.stop();
		// The logs stay (logs/ in this.folder); the database and the user folders go.
		rmSync(join(this.folder, 'postgres'), { recursive: true, force: true });
		rmSync(join(this.folder, 'redis'), { recursive: true, force: true });
		for (const instance of this.folders.values())
			if (existsSync(instance.userFolder))
				rmSync(instance.userFolder, { recursive: true, force: true });
	}
}
