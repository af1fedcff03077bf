const { src, dest, task } = require('gulp');

// tsc compiles only TypeScript; n8n loads node and credential icons from dist beside the JS.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:icons', copyIcons);
