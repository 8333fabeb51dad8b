/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
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
