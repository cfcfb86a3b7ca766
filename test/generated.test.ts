import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { GENERATED } from './generated.js';

it('the committed schemas and the example comments are up to date (npm run generate)', async () => {
  for (const [file, content] of Object.entries(await GENERATED())) {
    expect(readFileSync(file, 'utf8'), file).toBe(content);
  }
});
