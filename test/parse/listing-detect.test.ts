import { describe, expect, it, vi } from 'vitest';
import { VALID_MODEL_YAML } from '../fixtures/index.js';

// Each line a listing's detection reads goes through plain(): counting its calls counts the work.
vi.mock('../../src/parse/listing/lines.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/parse/listing/lines.js')>();
  return { ...original, plain: vi.fn(original.plain) };
});

const { plain } = await import('../../src/parse/listing/lines.js');
const { looksLikeListing } = await import('../../src/parse/listing/index.js');

describe('telling a listing from a native model', () => {
  it('reads no line of a native model, however long: neither heading is in it', () => {
    vi.mocked(plain).mockClear();
    expect(looksLikeListing(VALID_MODEL_YAML.repeat(10))).toBe(false);
    expect(vi.mocked(plain)).not.toHaveBeenCalled();
  });

  it('reads the lines of a text that holds a heading', () => {
    vi.mocked(plain).mockClear();
    expect(looksLikeListing(`Payments Agent — agentic threat model\n\n## OWASP AIVSS score rationale\n`)).toBe(true);
    expect(vi.mocked(plain)).toHaveBeenCalled();
  });
});
