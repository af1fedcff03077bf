/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness, not node code */
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { ErrorReporter } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type BinaryMode = 'default' | 'filesystem';

const silentLogger = {
	debug() {},
	info() {},
	warn() {},
	error() {},
	scoped() {
		return silentLogger;
	},
};

/**
 * Registers n8n's own BinaryDataService. Without init() it keeps binaries inline as base64
 * (n8n's "default" mode); with init() on a folder it stores them on disk, as n8n does with
 * N8N_DEFAULT_BINARY_DATA_MODE=filesystem. Returns the storage folder in that mode.
 */
export async function useBinaryMode(
	mode: BinaryMode,
	options: { as1x?: boolean } = {},
): Promise<string | undefined> {
	const storagePath = mode === 'filesystem' ? mkdtempSync(join(tmpdir(), 'veo-binary-')) : '';
	const config = {
		mode: 'filesystem',
		localStoragePath: storagePath,
		signingSecret: 'test',
	} as BinaryDataConfig;
	const errorReporter = { error() {} } as unknown as ErrorReporter;
	const service = new BinaryDataService(config, errorReporter, silentLogger as never);
	if (mode === 'filesystem') await service.init();
	if (options.as1x) answerAs1x(service);
	Container.set(BinaryDataService, service);
	// The mode n8n-core itself reads, e.g. convertBinaryData for the workflow setting binaryMode
	// "combined" (it moves binaries into the json in every mode but "default").
	Container.set(BinaryDataConfig, { ...config, mode } as BinaryDataConfig);
	return mode === 'filesystem' ? storagePath : undefined;
}

/**
 * Makes the store answer as n8n-core 1.x's BinaryDataService.store does (n8n 1.123.81, every
 * mode): the same file, `fileSize` in words, no `bytes` field. A check that trusts the store's
 * `bytes` sees nothing there on 1.x.
 */
function answerAs1x(service: BinaryDataService): void {
	const store = service.store.bind(service);
	service.store = async (...args: Parameters<BinaryDataService['store']>) => {
		const binary = await store(...args);
		delete binary.bytes;
		return binary;
	};
}

/** The bytes of an output binary, from wherever n8n's store keeps them. */
export async function binaryBytes(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}
