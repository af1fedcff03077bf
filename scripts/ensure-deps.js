#!/usr/bin/env node
// Installs the locked dev dependencies when node_modules is missing or was installed from
// another lock file, so `npm test` and `npm run demo` work on a fresh clone as they are.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const { runNpm } = require('./npm-retry');

const root = join(__dirname, '..');
const lockHash = createHash('sha256')
	.update(readFileSync(join(root, 'package-lock.json')))
	.digest('hex');
const stamp = join(root, 'node_modules', '.installed-lock-sha256');

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
	console.log('Installing the locked dependencies (npm ci)...');
	runNpm(['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	writeFileSync(stamp, lockHash);
}
