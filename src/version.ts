// The package version, recorded with every result (tests/verify.test.ts keeps it equal to package.json's).
export const VERSION = "0.3.0";
