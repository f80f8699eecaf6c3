/** Jest runs TypeScript through swc (transpile only); `npm run typecheck` does the type checking. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testTimeout: 30000,
  // Pipelines an app started are stopped after each file (see the file).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/stop-pipelines.ts'],
};
