// The tools node-gyp needs to build sqlite3 for an n8n in .cache/ (scripts/ensure-n8n.js):
// python3, make and g++. A fresh Debian machine lacks them; as root with apt-get they are
// installed, as scripts/ensure-chromium.js does for Chromium; elsewhere the run stops before
// the build and names what is missing and the command that installs it.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');

/** Each tool's command and the Debian package that brings it (g++ brings gcc too). */
const BUILD_TOOLS = [
	{ command: 'python3', package: 'python3' },
	{ command: 'make', package: 'make' },
	{ command: 'g++', package: 'g++' },
];

function onPath(name) {
	return (process.env.PATH ?? '')
		.split(delimiter)
		.some((dir) => dir && existsSync(join(dir, name)));
}

/**
 * What to do about the build tools, from what is found: nothing, install the missing packages
 * with apt-get (root on a machine with apt-get), or stop with a message saying what to run.
 */
function buildToolsPlan({ has, isRoot, hasApt }) {
	const missing = BUILD_TOOLS.filter((tool) => !has(tool.command));
	if (missing.length === 0) return { action: 'none', missing: [] };
	const names = missing.map((tool) => tool.command);
	const packages = missing.map((tool) => tool.package);
	if (isRoot && hasApt) return { action: 'install', missing: names, packages };
	const command = `${isRoot ? '' : 'sudo '}apt-get install ${packages.join(' ')}`;
	return {
		action: 'stop',
		missing: names,
		packages,
		message: `Building sqlite3 for n8n needs python3, make and g++; missing: ${names.join(', ')}. Install them (on Debian or Ubuntu: ${command}; elsewhere your system's packages for them) and run again`,
	};
}

/** Makes sure the build tools are there (installing them when it may); throws when they are not. */
function ensureBuildTools(log) {
	const probe = () =>
		buildToolsPlan({
			has: onPath,
			isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
			hasApt: spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
		});
	const plan = probe();
	if (plan.action === 'none') return;
	if (plan.action === 'stop') throw new Error(plan.message);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const stdio = ['ignore', 'inherit', 'inherit'];
	log(
		`installing ${plan.packages.join(', ')} to build sqlite3 (apt-get update, then apt-get install)`,
	);
	execFileSync('apt-get', ['update'], { stdio, env });
	execFileSync('apt-get', ['install', '-y', ...plan.packages], { stdio, env });
	const after = probe();
	if (after.action !== 'none')
		throw new Error(
			`apt-get installed ${plan.packages.join(' ')} but ${after.missing.join(', ')} is still missing`,
		);
}

module.exports = { BUILD_TOOLS, buildToolsPlan, ensureBuildTools };
