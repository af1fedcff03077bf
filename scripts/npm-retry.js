// The registry sometimes drops a download (EIDLETIMEOUT, ECONNRESET) in the middle of an
// install; a fresh clone should not fail on that. Runs an npm command up to three times.
const { execFileSync } = require('node:child_process');

const ATTEMPTS = 3;

function runNpm(args, options) {
	for (let attempt = 1; ; attempt++) {
		try {
			execFileSync('npm', args, options);
			return;
		} catch (error) {
			if (attempt >= ATTEMPTS) throw error;
			process.stderr.write(
				`npm ${args[0]} failed (attempt ${attempt} of ${ATTEMPTS}); trying again in 10 s\n`,
			);
			execFileSync('sleep', ['10']);
		}
	}
}

module.exports = { runNpm };
