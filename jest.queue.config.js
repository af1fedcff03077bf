/** @type {import('jest').Config} n8n in queue mode: main, two workers, Redis, Postgres (npm run test:queue). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// The set-up alone (services, migrations, three n8n processes) takes about a minute on 2 cores.
	testTimeout: 600_000,
	maxWorkers: 1,
};
