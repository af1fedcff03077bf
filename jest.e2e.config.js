/** @type {import('jest').Config} The real n8n CLI suites (npm run test:e2e). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// Each CLI command starts a whole n8n (about 5 s); one suite runs several.
	testTimeout: 600_000,
	maxWorkers: 1,
};
