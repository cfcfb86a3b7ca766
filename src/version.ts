/** Kept in step with package.json: the CLI tests compare them. */
export const VERSION = '0.1.0';
