/** Jest runs the TypeScript sources through ts-jest; type-checking is `tsc --noEmit` in `npm test`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/tests/helpers/inspectorSessions.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
