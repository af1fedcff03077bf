/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports -- test harness, not node code */
import { Container } from '@n8n/di';
import { dirname } from 'node:path';

type Level = 'info' | 'warn' | 'error';

/**
 * Captures what nodes write to n8n's log at `level` (n8n-core hands them its own Logger, from
 * the @n8n/backend-common copy n8n-core resolves); `stop()` puts the logger back.
 */
export function captureNodeLog(level: Level): { lines: string[]; stop(): void } {
	const { Logger } = require(
		require.resolve('@n8n/backend-common', { paths: [dirname(require.resolve('n8n-core'))] }),
	) as { Logger: new () => Record<Level, (message: string) => void> };
	const lines: string[] = [];
	const spy = jest
		.spyOn(Container.get(Logger), level)
		.mockImplementation((message: string) => void lines.push(message));
	return { lines, stop: () => spy.mockRestore() };
}
