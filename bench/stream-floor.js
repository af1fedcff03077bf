#!/usr/bin/env node
// `npm run bench:floor`: the big-video memory effect reproduced with neither n8n nor this node:
// the axios copy n8n's HTTP helpers load (@n8n/backend-network's) on the Node 24 n8n runs on,
// its response stream handed to fs.promises.writeFile (what n8n's filesystem binary store
// does), in a process holding a large live heap as n8n's does. It prints the rise of peak
// resident memory (VmHWM) during the download for a plain stream and for two ways a node could
// slow its reading down (n8n-workflow's sleep, or yielding). Its figures are not comparable
// with the benchmark's (another process, another heap); see bench/MEMORY.md.
const { spawn, execFileSync } = require('node:child_process');
const { join } = require('node:path');

const MB = Number(process.env.BENCH_BIG_MB ?? 512);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const VARIANTS = ['plain', 'paced', 'yielding'];

function serve() {
	const http = require('node:http');
	const block = Buffer.alloc(64 * 1024, 7);
	http
		.createServer(async (req, res) => {
			const size = Number(new URL(req.url, 'http://x').searchParams.get('mb')) * 2 ** 20;
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
			for (let sent = 0; sent < size; sent += block.length) {
				if (!res.write(block)) await new Promise((resolve) => res.once('drain', resolve));
			}
			res.end();
		})
		.listen(0, '127.0.0.1', function () {
			console.log(this.address().port);
		});
}

/** A Transform that holds every `everyMb` of data for `wait` (a timer or the next loop turn). */
function throttled(source, everyMb, wait) {
	const { Transform, pipeline } = require('node:stream');
	let seen = 0;
	const gate = new Transform({
		transform(chunk, _encoding, done) {
			seen += chunk.length;
			if (seen < everyMb * 2 ** 20) return done(null, chunk);
			seen = 0;
			wait(() => done(null, chunk));
		},
	});
	// pipeline, not pipe: a failed download must fail the write, not leave it waiting.
	return pipeline(source, gate, () => {});
}

/** Peak resident memory (VmHWM) in bytes; writing 5 to clear_refs starts it again from now. */
function peakRss() {
	const match = /VmHWM:\s+(\d+) kB/.exec(
		require('node:fs').readFileSync('/proc/self/status', 'utf8'),
	);
	return Number(match[1]) * 1024;
}

async function download(axiosDir, port, variant) {
	const axios = require(axiosDir);
	const { writeFile, rm } = require('node:fs/promises');
	const ballast = Array.from({ length: 1.5e6 }, (_, i) => ({ a: i, b: `x${i}`, c: [i] }));
	await new Promise((resolve) => setTimeout(resolve, 500));
	const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
	require('node:fs').writeFileSync('/proc/self/clear_refs', '5');
	const before = process.memoryUsage().rss;
	const started = Date.now();
	const response = await axios({
		url: `http://127.0.0.1:${port}/?mb=${MB}`,
		responseType: 'stream',
		maxRedirects: 0,
	});
	const stream =
		variant === 'paced'
			? throttled(response.data, 8, (go) => setTimeout(go, 20))
			: variant === 'yielding'
				? throttled(response.data, 4, (go) => setImmediate(go))
				: response.data;
	const file = join(require('node:os').tmpdir(), `stream-floor-${process.pid}.bin`);
	await writeFile(file, stream, { signal: AbortSignal.timeout(300_000) });
	const peak = peakRss();
	await rm(file);
	console.log(
		JSON.stringify({
			riseMb: (peak - before) / 2 ** 20,
			seconds: (Date.now() - started) / 1000,
			heapMb,
			live: ballast.length,
		}),
	);
}

async function main() {
	const { ensureN8n } = require('../scripts/ensure-n8n.js');
	const paths = ensureN8n();
	// The axios n8n's request helpers load: @n8n/backend-network's own copy.
	const axiosDir = require.resolve('axios', {
		paths: [join(paths.n8n, '..', '..', '..', '@n8n', 'backend-network')],
	});
	const server = spawn(paths.node, [__filename, 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise((resolve, reject) => {
		server.stdout.once('data', (data) => resolve(Number(String(data).trim())));
		server.once('exit', (code) => reject(new Error(`the test server stopped (${code})`)));
	});
	const results = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
	try {
		for (let run = 0; run < RUNS; run++) {
			for (const variant of VARIANTS) {
				const out = execFileSync(
					paths.node,
					[__filename, 'download', axiosDir, String(port), variant],
					{ encoding: 'utf8', timeout: 600_000 },
				);
				const measured = JSON.parse(out.trim().split('\n').pop());
				results[variant].push(measured);
				console.log(
					`${variant} run ${run + 1}: +${measured.riseMb.toFixed(0)} MB in ${measured.seconds.toFixed(1)} s (live heap ${measured.heapMb.toFixed(0)} MB)`,
				);
			}
		}
	} finally {
		server.kill();
	}
	const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	console.log(
		`\n${MB} MB, Node ${execFileSync(paths.node, ['--version'], { encoding: 'utf8' }).trim()}, ${RUNS} runs: rise of peak RSS during the download, median (min–max)`,
	);
	for (const variant of VARIANTS) {
		const rises = results[variant].map((result) => result.riseMb);
		const seconds = results[variant].map((result) => result.seconds);
		console.log(
			`| ${variant} | +${median(rises).toFixed(0)} MB (${Math.min(...rises).toFixed(0)}–${Math.max(...rises).toFixed(0)}) | ${median(seconds).toFixed(1)} s |`,
		);
	}
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') serve();
else if (mode === 'download') download(args[0], Number(args[1]), args[2]);
else
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
