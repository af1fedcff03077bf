/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- queue-mode harness: runs Debian's Postgres and Redis */
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PROJECT_ROOT } from '../n8n-cli/n8n-cli';
import type { Started } from './processes';
import { GiveUp, startProcess, uniquePort, waitFor } from './processes';

const execFileAsync = promisify(execFile);

/** What scripts/ensure-queue-services.js found or installed. */
export interface ServicePaths {
	pgBin: string;
	redisServer: string;
	postgresUid: number;
	postgresGid: number;
}

export const servicePaths = (): ServicePaths =>
	(
		require(join(PROJECT_ROOT, 'scripts', 'ensure-queue-services.js')) as {
			ensureQueueServices: () => ServicePaths;
		}
	).ensureQueueServices();

export interface Postgres {
	port: number;
	database: string;
	user: string;
	process: Started;
	/** Rows of a query as objects (json_agg), through psql. */
	query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
}

/**
 * Debian's Postgres, run as the `postgres` user (initdb refuses root) on a data folder below
 * `folder`, listening on a free loopback port, trust authentication, no fsync (a throwaway
 * database). The database `n8n` is created empty; n8n runs its migrations into it.
 */
export async function startPostgres(paths: ServicePaths, folder: string): Promise<Postgres> {
	const root = join(folder, 'postgres');
	mkdirSync(root);
	chownSync(root, paths.postgresUid, paths.postgresGid);
	const data = join(root, 'data');
	const asPostgres = { uid: paths.postgresUid, gid: paths.postgresGid, cwd: root };
	await execFileAsync(
		join(paths.pgBin, 'initdb'),
		['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
		{ ...asPostgres, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' } },
	);
	const port = await uniquePort();
	const server = startProcess(
		'postgres',
		join(paths.pgBin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`unix_socket_directories=${root}`,
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{
			...asPostgres,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
			logFile: join(folder, 'logs', 'postgres.log'),
			// SIGINT: Postgres's fast shutdown.
			stopSignal: 'SIGINT',
		},
	);
	const psql = async (database: string, sql: string) =>
		(
			await execFileAsync(
				join(paths.pgBin, 'psql'),
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(port),
					'-U',
					'postgres',
					'-d',
					database,
					'-X',
					'-A',
					'-t',
					'-q',
					'-v',
					'ON_ERROR_STOP=1',
					'-c',
					sql,
				],
				{ maxBuffer: 64 * 1024 * 1024 },
			)
		).stdout;
	await waitFor(
		'Postgres to accept connections',
		async () => {
			if (!server.running()) throw new GiveUp(`Postgres exited: ${server.log().slice(-2000)}`);
			return (await psql('postgres', 'select 1')).trim() === '1' ? true : undefined;
		},
		60_000,
	);
	await psql('postgres', 'create database n8n');
	return {
		port,
		database: 'n8n',
		user: 'postgres',
		process: server,
		async query<T>(sql: string) {
			const out = await psql('n8n', `select coalesce(json_agg(q), '[]'::json) from (${sql}) q`);
			return JSON.parse(out) as T[];
		},
	};
}

export interface Redis {
	port: number;
	process: Started;
}

async function redisPing(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(1000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) {
				socket.destroy();
				resolve(answer.startsWith('+PONG'));
			}
		});
		socket.on('error', () => resolve(false));
	});
}

/** Debian's redis-server with a config of its own: a free loopback port, no persistence. */
export async function startRedis(paths: ServicePaths, folder: string): Promise<Redis> {
	const root = join(folder, 'redis');
	mkdirSync(root);
	const port = await uniquePort();
	const config = join(root, 'redis.conf');
	writeFileSync(
		config,
		[
			`port ${port}`,
			'bind 127.0.0.1',
			'protected-mode yes',
			'save ""',
			'appendonly no',
			`dir ${root}`,
			'daemonize no',
			'logfile ""',
			'',
		].join('\n'),
	);
	const server = startProcess('redis', paths.redisServer, [config], {
		cwd: root,
		logFile: join(folder, 'logs', 'redis.log'),
	});
	await waitFor(
		'Redis to answer PING',
		async () => {
			if (!server.running()) throw new GiveUp(`Redis exited: ${server.log().slice(-2000)}`);
			return (await redisPing(port)) ? true : undefined;
		},
		30_000,
	);
	return { port, process: server };
}
