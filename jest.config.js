const os = require('node:os');

const cores =
	typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// The suites mostly wait (the sandbox's answers, client timeouts, back-off), they compute
	// little: two files side by side even on two cores (jest's default there is one). The stress
	// step (npm run test:stress) checks the reliability and alert suites with two workers beside
	// CPU burners.
	maxWorkers: Math.max(2, cores - 1),
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ tsconfig: 'tsconfig.dev.json', isolatedModules: true, diagnostics: false },
		],
	},
	testTimeout: 60000,
	// The real-n8n lane has its own runner (npm run test:e2e).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
};
