#!/usr/bin/env node
// Makes sure Postgres and Redis are on this machine for the queue-mode suite and benchmark
// (npm run test:queue, npm run bench:queue): Debian's own packages, installed with apt-get when
// missing. Idempotent. Nothing is started here and no system service is used: the suite runs
// the binaries itself (Postgres as the `postgres` user on a temp data folder, Redis with its own
// config), on free loopback ports, and stops them. Prints the paths as JSON with --print.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const PG_ROOT = '/usr/lib/postgresql';

function onPath(name) {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		const candidate = join(dir, name);
		if (dir && existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** The newest Debian Postgres whose server binaries are installed, e.g. /usr/lib/postgresql/15/bin. */
function postgresBin() {
	if (!existsSync(PG_ROOT)) return undefined;
	const versions = readdirSync(PG_ROOT)
		.filter((name) => /^\d+$/.test(name) && existsSync(join(PG_ROOT, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(PG_ROOT, versions[0], 'bin') : undefined;
}

function found() {
	const pgBin = postgresBin();
	const redisServer =
		onPath('redis-server') ??
		(existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined);
	const postgresUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	return {
		pgBin,
		redisServer,
		postgresUid: postgresUser.status === 0 ? Number(postgresUser.stdout.trim()) : undefined,
		postgresGid:
			postgresUser.status === 0
				? Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
				: undefined,
	};
}

function main() {
	let paths = found();
	const missing = [];
	if (!paths.pgBin || paths.postgresUid === undefined) missing.push('postgresql');
	if (!paths.redisServer) missing.push('redis-server');
	if (missing.length === 0) return paths;

	const log = (message) => process.stderr.write(`[ensure-queue-services] ${message}\n`);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
	if (!isRoot || !hasApt)
		throw new Error(
			`${missing.join(' and ')} missing: install Debian's packages (apt-get install ${missing.join(' ')}) and run again`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log(`installing Debian's ${missing.join(' and ')} (apt-get update, then apt-get install)`);
	execFileSync('apt-get', ['update'], { stdio: ['ignore', 'inherit', 'inherit'], env });
	execFileSync('apt-get', ['install', '-y', ...missing], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env,
	});
	// Debian's packages start system services where an init system runs; the suite uses its own.
	paths = found();
	if (!paths.pgBin || paths.postgresUid === undefined || !paths.redisServer)
		throw new Error(`apt-get installed ${missing.join(' ')} but the binaries are still missing`);
	return paths;
}

if (require.main === module) {
	const result = main();
	if (process.argv.includes('--print')) process.stdout.write(`${JSON.stringify(result)}\n`);
}

module.exports = { ensureQueueServices: main };
