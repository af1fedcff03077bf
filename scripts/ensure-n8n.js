#!/usr/bin/env node
// Installs the pinned n8n CLI, the Node 24 it needs and n8n's community-package scanner into
// .cache/ (git-ignored), once; later runs reuse them. Every step is the project's own: nothing
// to do by hand on a fresh machine. Prints the paths as JSON with --print.
//
// Why the steps are so: n8n 2.x needs Node >= 24 while this machine's Node may be older;
// a plain install of n8n fails (a Kafka dependency downloads from outside), so it is installed
// with scripts off and only sqlite3 is built, against Node 24's headers; node@24 itself needs
// its install script (it fetches the platform binary package from the registry).
const { existsSync, mkdirSync, writeFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const { runNpm } = require('./npm-retry');

const N8N_VERSION = '2.41.1';
const NODE_VERSION = '24.21.0';
const SCANNER_VERSION = '0.32.0';

const root = join(__dirname, '..');
const cache = join(root, '.cache');
const nodeDir = join(cache, `node-${NODE_VERSION}`);
const n8nDir = join(cache, `n8n-${N8N_VERSION}`);
const scannerDir = join(cache, `scanner-${SCANNER_VERSION}`);

const paths = {
	nodeBinDir: join(nodeDir, 'node_modules', 'node', 'bin'),
	node: join(nodeDir, 'node_modules', 'node', 'bin', 'node'),
	nodeHeaders: join(
		nodeDir,
		'node_modules',
		'node',
		'node_modules',
		`node-${process.platform}-${process.arch}`,
	),
	n8n: join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	n8nVersion: N8N_VERSION,
	scanner: join(scannerDir, 'node_modules', '@n8n', 'scan-community-package'),
};

const npmFlags = ['--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];

function npm(cwd, args, env = process.env) {
	runNpm([...args, ...npmFlags], { cwd, stdio: ['ignore', 'inherit', 'inherit'], env });
}

/** A folder of its own for each tool, so their installs never touch the project's lock file. */
function installOnce(dir, marker, install) {
	const done = join(dir, '.installed');
	if (existsSync(done) && existsSync(marker)) return;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cache', private: true }));
	install();
	if (!existsSync(marker)) throw new Error(`install into ${dir} did not produce ${marker}`);
	writeFileSync(done, new Date().toISOString());
}

function main() {
	const log = (message) => process.stderr.write(`[ensure-n8n] ${message}\n`);

	installOnce(nodeDir, paths.node, () => {
		log(`installing Node ${NODE_VERSION} from the npm registry`);
		npm(nodeDir, ['install', '--ignore-scripts=false', `node@${NODE_VERSION}`]);
	});

	installOnce(n8nDir, paths.n8n, () => {
		log(`installing n8n ${N8N_VERSION} (a few minutes, about 3 GB)`);
		npm(n8nDir, ['install', '--ignore-scripts', `n8n@${N8N_VERSION}`]);
	});
	const sqliteBinary = join(
		n8nDir,
		'node_modules',
		'sqlite3',
		'build',
		'Release',
		'node_sqlite3.node',
	);
	if (!existsSync(sqliteBinary)) {
		log('building sqlite3 for Node 24');
		// --ignore-scripts=false on the command line: under `npm run`, npm hands this project's
		// ignore-scripts=true down in the environment, which would skip the build silently.
		const env = { ...process.env, PATH: `${paths.nodeBinDir}:${process.env.PATH}` };
		npm(
			n8nDir,
			['rebuild', 'sqlite3', '--ignore-scripts=false', `--nodedir=${paths.nodeHeaders}`],
			env,
		);
		if (!existsSync(sqliteBinary))
			throw new Error(`sqlite3 was not built: ${sqliteBinary} is missing`);
	}

	installOnce(scannerDir, paths.scanner, () => {
		log(`installing @n8n/scan-community-package ${SCANNER_VERSION}`);
		npm(scannerDir, [
			'install',
			'--ignore-scripts',
			`@n8n/scan-community-package@${SCANNER_VERSION}`,
		]);
	});

	return paths;
}

if (require.main === module) {
	const result = main();
	if (process.argv.includes('--print')) process.stdout.write(`${JSON.stringify(result)}\n`);
}

module.exports = { ensureN8n: main, paths };
