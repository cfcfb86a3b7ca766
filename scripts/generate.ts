// Writes the generated files that are committed: schema/*.schema.json from the zod schemas, and
// docs/example-comment.md, the comment aivss-gate posts for examples/, and docs/example-pull-request-comment.md,
// the comment on a pull request of examples/ compared with a base made in test/generated.ts. test/generated.test.ts fails when stale.
import { writeFileSync } from 'node:fs';
import { GENERATED } from '../test/generated.js';

for (const [file, content] of Object.entries(await GENERATED())) {
  writeFileSync(file, content);
  console.log(`wrote ${file}`);
}
