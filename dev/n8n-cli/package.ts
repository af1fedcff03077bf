/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- end-to-end harness: packs and scans the package */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PROJECT_ROOT } from './n8n-cli';

const execFileAsync = promisify(execFile);

/** `npm pack` of the built package; returns the tarball and the folder it unpacks to. */
export async function packPackage(): Promise<{ tarball: string; unpacked: string }> {
	const folder = mkdtempSync(join(tmpdir(), 'veo-pack-'));
	await execFileAsync('npm', ['pack', '--pack-destination', folder], { cwd: PROJECT_ROOT });
	const tarball = join(folder, readdirSync(folder).find((name) => name.endsWith('.tgz'))!);
	const unpacked = join(folder, 'unpacked');
	mkdirSync(unpacked);
	await execFileAsync('tar', ['xzf', tarball, '-C', unpacked]);
	return { tarball, unpacked: join(unpacked, 'package') };
}

export interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

/**
 * n8n's community-package scanner (@n8n/scan-community-package, the check n8n runs before
 * listing a package), offline on a folder. `sourceOnly` scans what `n8n-node lint` covers.
 */
export async function scanPackage(
	scannerDir: string,
	folder: string,
	sourceOnly: boolean,
): Promise<ScanResult> {
	const scanner = join(scannerDir, 'scanner', 'scanner.mjs');
	const script = `import(${JSON.stringify(scanner)}).then(async (m) => {
		const result = await m.analyzePackage(${JSON.stringify(folder)}${sourceOnly ? ', m.SOURCE_FILE_PATTERNS' : ''});
		process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message, details: result.details }));
	})`;
	// Without NODE_ENV: under jest it is "test", which turns n8n's lint rules into their own test mode.
	const env = { ...process.env };
	delete env.NODE_ENV;
	const { stdout } = await execFileAsync(process.execPath, ['-e', script], {
		env,
		maxBuffer: 64 * 1024 * 1024,
	});
	return JSON.parse(stdout) as ScanResult;
}
