import v8 from 'node:v8';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import { parseThreatModel } from '../../src/parse/index.js';
import { VALID_MODEL_YAML } from '../fixtures/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

const FILES = 100;
const COMMENT_BYTES = 100_000;

// A string value that is a slice of its file's text keeps the whole text alive, and a report keeps its values.
test('the parsed data keeps no file text alive', () => {
  const before = heapUsed();
  const kept = Array.from({ length: FILES }, (_, i) => {
    const result = parseThreatModel(`# ${i} ${'x'.repeat(COMMENT_BYTES)}\n${VALID_MODEL_YAML}`);
    if (!result.ok) throw new Error('the test file does not parse');
    return result.parsed.data;
  });
  const held = heapUsed() - before;

  expect(kept).toHaveLength(FILES);
  // The data is a few KB a file; the texts are 10 MB in all.
  expect(held).toBeLessThan((FILES * COMMENT_BYTES) / 4);
});
