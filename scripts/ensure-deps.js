#!/usr/bin/env node
// Installs the locked dev dependencies (npm ci) when node_modules does not hold what
// package-lock.json locks, so `npm test` and `npm run demo` work on a fresh clone as they are.
// What is installed is read from node_modules itself, not from a stamp of our own: a plain
// `npm ci` or `npm install` by the user counts, and a deleted or half-installed package does not.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const { runNpm } = require('./npm-retry');

const readJson = (file) => {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
};

/**
 * Why `root`'s node_modules must be installed again, or undefined when it holds every package
 * of the lock file at its locked version. An optional package (another platform's binary) may
 * be absent, but not at another version.
 */
function whyInstall(root) {
	const lock = readJson(join(root, 'package-lock.json'));
	if (!lock?.packages) return 'package-lock.json is missing or has no packages';
	if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
	for (const [path, locked] of Object.entries(lock.packages)) {
		if (!path || locked.link) continue;
		const installed = readJson(join(root, path, 'package.json'));
		if (!installed && locked.optional) continue;
		if (!installed) return `${path} is missing`;
		if (installed.version !== locked.version)
			return `${path} is ${installed.version}, the lock file says ${locked.version}`;
	}
	return undefined;
}

function ensureDeps(root = join(__dirname, '..')) {
	const reason = whyInstall(root);
	if (!reason) return false;
	console.log(`Installing the locked dependencies (npm ci): ${reason}`);
	runNpm(['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	return true;
}

if (require.main === module) ensureDeps();

module.exports = { ensureDeps, whyInstall };
