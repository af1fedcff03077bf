#!/usr/bin/env node
// Makes sure a Chromium is on this machine for the editor test (test/e2e/editor.e2e.ts), which
// drives it with playwright-core: Debian's own package, never a browser download. Idempotent:
// does nothing when `chromium` is already on PATH. Installing needs root (apt-get); elsewhere
// it says what to install. Prints the executable's path with --print.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const NAMES = ['chromium', 'chromium-browser'];

function onPath() {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		for (const name of NAMES) {
			const candidate = join(dir, name);
			if (dir && existsSync(candidate)) return candidate;
		}
	}
	return undefined;
}

function main() {
	const found = onPath();
	if (found) return found;
	const log = (message) => process.stderr.write(`[ensure-chromium] ${message}\n`);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
	if (!isRoot || !hasApt) {
		throw new Error(
			'Chromium is not on PATH: install Debian\'s "chromium" package (apt-get install chromium) and run again',
		);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log("installing Debian's chromium package (apt-get update, then apt-get install chromium)");
	execFileSync('apt-get', ['update'], { stdio: ['ignore', 'inherit', 'inherit'], env });
	execFileSync('apt-get', ['install', '-y', 'chromium'], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env,
	});
	const installed = onPath();
	if (!installed)
		throw new Error('apt-get installed chromium but no chromium executable is on PATH');
	return installed;
}

if (require.main === module) {
	const result = main();
	if (process.argv.includes('--print')) process.stdout.write(`${result}\n`);
}

module.exports = { ensureChromium: main };
