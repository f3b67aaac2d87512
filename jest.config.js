// Tests are TypeScript run through ts-jest in ESM mode (Node 24, --experimental-vm-modules).
// Type errors are caught by `tsc -p tsconfig.test.json` in `npm test`; ts-jest only transpiles.
const tsJest = [
  "ts-jest",
  { useESM: true, tsconfig: "tsconfig.test.json", diagnostics: false },
];
const common = {
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": tsJest },
  testEnvironment: "node",
};
export default {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/test/e2e/**/*.test.ts"], globalSetup: "<rootDir>/test/e2e/global-setup.mjs" },
  ],
  reporters: ["default", "<rootDir>/test/support/summary-reporter.cjs"],
  testTimeout: 30000,
};
