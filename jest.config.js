/** Jest runs TypeScript through swc (transpile only); `npm run typecheck` does the type checking. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testTimeout: 30000,
  // Pipelines an app started are stopped after each file (see the file).
  setupFilesAfterEnv: ['<rootDir>/test/helpers/stop-pipelines.ts'],
  // A worker whose heap has grown past this after a test file is replaced by a fresh one. Without
  // it, what files leave behind (module registries, closed stores' caches) piles up in the two
  // long-lived workers until every later file runs mostly in the garbage collector: a clean CI run
  // took 67 minutes instead of 12 and timed out the MongoDB suites at its end.
  workerIdleMemoryLimit: '512MB',
};
