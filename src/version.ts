/** Kept in step with package.json: test/cli/cli.test.ts compares them. */
export const VERSION = '0.1.0';
