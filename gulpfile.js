const { existsSync, readdirSync, rmSync } = require('node:fs');
const { join, relative } = require('node:path');
const { dest, series, src, task } = require('gulp');

const DIST = 'dist';

/** The source a file in dist/ is built from: tsc compiles .ts to .js and copies .json; icons are copied below. */
function sourceOf(distFile) {
	const path = relative(DIST, distFile);
	if (!/^(nodes|credentials)\//.test(path)) return undefined;
	if (path.endsWith('.js')) return path.replace(/\.js$/, '.ts');
	if (/\.(json|png|svg)$/.test(path)) return path;
	return undefined;
}

function filesUnder(folder) {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		return entry.isDirectory() ? filesUnder(path) : [path];
	});
}

// tsc never deletes: a source map or dist/package.json from an older build, or the output of a
// deleted source, would stay in dist/ and ship in the tarball. Whatever no source builds goes.
function pruneStale(done) {
	if (existsSync(DIST)) {
		for (const file of filesUnder(DIST)) {
			const source = sourceOf(file);
			if (!source || !existsSync(source)) rmSync(file);
		}
	}
	done();
}

// tsc compiles only TypeScript; n8n loads node and credential icons from dist beside the JS.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(DIST));
}

// `npm run build` is `tsc && gulp build:icons`: this step also clears what tsc left from before.
task('build:icons', series(pruneStale, copyIcons));
