#!/usr/bin/env node
// `npm run bench:floor`: what streaming a big download into a file costs in memory with no n8n
// and no node code at all: n8n's own axios (the copy its HTTP helpers use) on the Node 24 that
// n8n runs on, its response stream handed to fs.promises.writeFile (what n8n's filesystem
// binary store does), in a process holding about 150 MB of live heap like n8n's. It prints the
// rise of resident memory during the download for a plain stream and for two ways a node could
// slow its reading down. See bench/MEMORY.md.
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
	const { Transform } = require('node:stream');
	let seen = 0;
	const gate = new Transform({
		transform(chunk, _encoding, done) {
			seen += chunk.length;
			if (seen < everyMb * 2 ** 20) return done(null, chunk);
			seen = 0;
			wait(() => done(null, chunk));
		},
	});
	return source.pipe(gate);
}

async function download(axiosDir, port, variant) {
	const axios = require(axiosDir);
	const { writeFile, rm } = require('node:fs/promises');
	const ballast = Array.from({ length: 1.5e6 }, (_, i) => ({ a: i, b: `x${i}`, c: [i] }));
	await new Promise((resolve) => setTimeout(resolve, 500));
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
	const started = Date.now();
	const response = await axios({ url: `http://127.0.0.1:${port}/?mb=${MB}`, responseType: 'stream', maxRedirects: 0 });
	const stream =
		variant === 'paced'
			? throttled(response.data, 8, (go) => setTimeout(go, 20))
			: variant === 'yielding'
				? throttled(response.data, 4, (go) => setImmediate(go))
				: response.data;
	const file = join(require('node:os').tmpdir(), `stream-floor-${process.pid}.bin`);
	await writeFile(file, stream);
	clearInterval(sampler);
	await rm(file);
	console.log(JSON.stringify({ riseMb: (peak - before) / 2 ** 20, seconds: (Date.now() - started) / 1000, live: ballast.length }));
}

async function main() {
	const { ensureN8n } = require('../scripts/ensure-n8n.js');
	const paths = ensureN8n();
	const axiosDir = join(paths.n8n, '..', '..', '..', 'axios');
	const server = spawn(paths.node, [__filename, 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise((resolve) => server.stdout.once('data', (data) => resolve(Number(String(data).trim()))));
	const results = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
	try {
		for (let run = 0; run < RUNS; run++) {
			for (const variant of VARIANTS) {
				const out = execFileSync(paths.node, [__filename, 'download', axiosDir, String(port), variant], { encoding: 'utf8' });
				const measured = JSON.parse(out.trim().split('\n').pop());
				results[variant].push(measured);
				console.log(`${variant} run ${run + 1}: +${measured.riseMb.toFixed(0)} MB in ${measured.seconds.toFixed(1)} s`);
			}
		}
	} finally {
		server.kill();
	}
	const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	console.log(`\n${MB} MB, Node ${execFileSync(paths.node, ['--version'], { encoding: 'utf8' }).trim()}, ${RUNS} runs: RSS rise during the download, median (min–max)`);
	for (const variant of VARIANTS) {
		const rises = results[variant].map((result) => result.riseMb);
		const seconds = results[variant].map((result) => result.seconds);
		console.log(`| ${variant} | +${median(rises).toFixed(0)} MB (${Math.min(...rises).toFixed(0)}–${Math.max(...rises).toFixed(0)}) | ${median(seconds).toFixed(1)} s |`);
	}
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') serve();
else if (mode === 'download') download(args[0], Number(args[1]), args[2]);
else main().catch((error) => {
	console.error(error);
	process.exit(1);
});
