/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFiles: ['<rootDir>/dev/engine/quiet-logs.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// Each suite starts its own simulator and mostly waits on sockets: two files at a time keep
	// both cores busy (jest's default on 2 cores is one worker).
	maxWorkers: 2,
	testTimeout: 60_000,
};
