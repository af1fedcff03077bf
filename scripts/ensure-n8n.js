#!/usr/bin/env node
// Installs an n8n CLI, the Node it runs on and n8n's community-package scanner into .cache/
// (git-ignored), once; later runs reuse them. Every step is the project's own: nothing to do by
// hand on a fresh machine.
//
//   node scripts/ensure-n8n.js                     the pinned n8n (2.41.1) on Node 24
//   node scripts/ensure-n8n.js --version=1.123.81  another n8n (or N8N_VERSION=1.123.81)
//   node scripts/ensure-n8n.js --all               every n8n the end-to-end suite runs against
//   ... --print                                    prints the paths as JSON (an array with --all)
//
// From code: require('./ensure-n8n.js').ensureN8n({ version }) returns the paths.
//
// Why the steps are so: n8n 2.x needs Node >= 24 and n8n 1.123.x Node 22 or 24 (see
// NODE_FOR_N8N_MAJOR), while this machine's Node may be another; each n8n gets the Node its major
// version is tested on, from the npm registry. A plain install of n8n fails (a Kafka dependency downloads from
// outside), so it is installed with scripts off and only sqlite3 is built, against the headers
// of the Node it will run on (isolated-vm, the other native module, ships prebuilt binaries),
// with python3, make and g++ (scripts/build-tools.js installs them as root on Debian);
// node@X itself needs its install script (it fetches the platform binary package from the
// registry). n8n 1.x needs one npm override (overridesFor).
const {
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	writeFileSync,
	rmSync,
} = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const { ensureBuildTools } = require('./build-tools');
const { runNpm } = require('./npm-retry');

const DEFAULT_N8N_VERSION = '2.41.1';
/** The n8n versions the end-to-end suite runs against: the pinned 2.x and the newest 1.x. */
const E2E_N8N_VERSIONS = ['2.41.1', '1.123.81'];
/**
 * The Node each n8n major runs on here. 2.x needs >= 24. 1.x's engines say >=20.19 <=24.x, but
 * n8n 1.123.x starts its default expression engine on isolated-vm 6.2.0, which wants Node >= 22
 * and ships builds for Node 22 and 24 only: on Node 20 n8n exits with "Could not initialize the
 * vm expression engine" unless N8N_EXPRESSION_ENGINE=legacy. Node 22 is the one 1.x adds.
 */
const NODE_FOR_N8N_MAJOR = { 1: '22.23.3', 2: '24.21.0' };
const SCANNER_VERSION = '0.32.0';

const root = join(__dirname, '..');
const cache = join(root, '.cache');
const scannerDir = join(cache, `scanner-${SCANNER_VERSION}`);

function nodeVersionFor(n8nVersion) {
	const major = Number(n8nVersion.split('.')[0]);
	const nodeVersion = NODE_FOR_N8N_MAJOR[major];
	if (!nodeVersion) throw new Error(`no Node version is known for n8n ${n8nVersion}`);
	return nodeVersion;
}

/** Where the given n8n (and its Node) live in .cache/; nothing is installed. */
function pathsFor(n8nVersion = DEFAULT_N8N_VERSION) {
	const nodeVersion = nodeVersionFor(n8nVersion);
	const nodeDir = join(cache, `node-${nodeVersion}`);
	const n8nDir = join(cache, `n8n-${n8nVersion}`);
	return {
		nodeBinDir: join(nodeDir, 'node_modules', 'node', 'bin'),
		node: join(nodeDir, 'node_modules', 'node', 'bin', 'node'),
		nodeVersion,
		nodeHeaders: join(
			nodeDir,
			'node_modules',
			'node',
			'node_modules',
			`node-${process.platform}-${process.arch}`,
		),
		n8n: join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nVersion,
		scanner: join(scannerDir, 'node_modules', '@n8n', 'scan-community-package'),
	};
}

const npmFlags = ['--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];

function npm(cwd, args, env = process.env) {
	runNpm([...args, ...npmFlags], { cwd, stdio: ['ignore', 'inherit', 'inherit'], env });
}

/**
 * npm overrides for an n8n install. n8n 1.x's nodes (n8n-nodes-base 1.x) take SheetJS's xlsx
 * 0.20.2 as a tarball from cdn.sheetjs.com, outside the registry, which these machines cannot
 * reach; the registry's last xlsx (0.18.5) stands in. Only the Spreadsheet File / Extract from
 * File / Convert to File nodes use it; the suites here do not.
 */
function overridesFor(n8nVersion) {
	return Number(n8nVersion.split('.')[0]) < 2 ? { xlsx: '0.18.5' } : undefined;
}

/** A folder of its own for each tool, so their installs never touch the project's lock file. */
function installOnce(dir, marker, install, overrides) {
	const done = join(dir, '.installed');
	if (existsSync(done) && existsSync(marker)) return;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify({ name: 'cache', private: true, ...(overrides ? { overrides } : {}) }),
	);
	install();
	if (!existsSync(marker)) throw new Error(`install into ${dir} did not produce ${marker}`);
	writeFileSync(done, new Date().toISOString());
}

const sqliteOf = (dir) => join(dir, 'node_modules', 'sqlite3');
const sqliteBinaryOf = (dir) => join(sqliteOf(dir), 'build', 'Release', 'node_sqlite3.node');
const sqliteVersionOf = (dir) => {
	try {
		return JSON.parse(readFileSync(join(sqliteOf(dir), 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
};

/** A finished sqlite3 build of the same sqlite3 version in another n8n of .cache/, if any. */
function sameSqliteBuilt(n8nDir) {
	const version = sqliteVersionOf(n8nDir);
	if (!version || !existsSync(cache)) return undefined;
	for (const name of readdirSync(cache)) {
		const other = join(cache, name);
		if (!name.startsWith('n8n-') || other === n8nDir || !existsSync(join(other, '.installed')))
			continue;
		if (sqliteVersionOf(other) === version && existsSync(sqliteBinaryOf(other)))
			return sqliteBinaryOf(other);
	}
	return undefined;
}

/** Whether this n8n's sqlite3 opens a database on the given Node (a crash counts as no). */
function sqliteWorks(node, n8nDir) {
	const script = `const s = require(${JSON.stringify(sqliteOf(n8nDir))});
		new s.Database(':memory:').get('select 1 as one', (e, r) => process.exit(!e && r.one === 1 ? 0 : 1));`;
	return spawnSync(node, ['-e', script], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

const log = (message) => process.stderr.write(`[ensure-n8n] ${message}\n`);

/**
 * Installs (once) the n8n of `version` (default: N8N_VERSION from the environment, else the
 * pinned 2.41.1), the Node it runs on and the scanner; returns their paths.
 */
function ensureN8n({ version } = {}) {
	const n8nVersion = version ?? process.env.N8N_VERSION ?? DEFAULT_N8N_VERSION;
	const paths = pathsFor(n8nVersion);
	const nodeDir = join(cache, `node-${paths.nodeVersion}`);
	const n8nDir = join(cache, `n8n-${n8nVersion}`);

	installOnce(nodeDir, paths.node, () => {
		log(`installing Node ${paths.nodeVersion} from the npm registry`);
		npm(nodeDir, ['install', '--ignore-scripts=false', `node@${paths.nodeVersion}`]);
	});

	installOnce(
		n8nDir,
		paths.n8n,
		() => {
			log(`installing n8n ${n8nVersion} (a few minutes, about 3 GB)`);
			npm(n8nDir, ['install', '--ignore-scripts', `n8n@${n8nVersion}`]);
		},
		overridesFor(n8nVersion),
	);
	const sqliteBinary = sqliteBinaryOf(n8nDir);
	const builtElsewhere = !existsSync(sqliteBinary) && sameSqliteBuilt(n8nDir);
	if (builtElsewhere) {
		// sqlite3 is a Node-API addon, so one build may serve several Nodes and save the 1-3 minute
		// compile; kept only if it opens a database on this n8n's Node (a build made with Node 24's
		// headers works on Node 22 but crashes Node 20).
		mkdirSync(join(sqliteBinary, '..'), { recursive: true });
		copyFileSync(builtElsewhere, sqliteBinary);
		if (sqliteWorks(paths.node, n8nDir)) log(`reused the sqlite3 build of ${builtElsewhere}`);
		else rmSync(sqliteBinary, { force: true });
	}
	if (!existsSync(sqliteBinary)) {
		// node-gyp needs python3, make and g++: checked (or installed) here, not mid-build.
		ensureBuildTools(log);
		log(`building sqlite3 for Node ${paths.nodeVersion}`);
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
	const argument = (name) =>
		process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
	const result = process.argv.includes('--all')
		? E2E_N8N_VERSIONS.map((version) => ensureN8n({ version }))
		: ensureN8n({ version: argument('version') });
	if (process.argv.includes('--print')) process.stdout.write(`${JSON.stringify(result)}\n`);
}

module.exports = {
	ensureN8n,
	pathsFor,
	/** The default n8n's paths (N8N_VERSION or 2.41.1), as before. */
	paths: pathsFor(process.env.N8N_VERSION ?? DEFAULT_N8N_VERSION),
	DEFAULT_N8N_VERSION,
	E2E_N8N_VERSIONS,
	NODE_FOR_N8N_MAJOR,
};
