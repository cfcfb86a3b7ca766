import { describe, expect, it, vi } from 'vitest';
import * as yaml from 'yaml';
import { parseYaml } from '../../src/parse/yaml.js';

// Every map entry a line lookup visits goes through isPair: counting its calls counts the lookup's work.
vi.mock('yaml', async (importOriginal) => {
  const original = await importOriginal<typeof import('yaml')>();
  return { ...original, isPair: vi.fn(original.isPair) };
});

/** A layers map of n unknown keys, each looked up once, as validation does for each problem it reports. */
function lookUpEveryKey(n: number): number {
  const keys = Array.from({ length: n }, (_, i) => `layer-${i}`);
  const parsed = parseYaml(`layers:\n${keys.map((k) => `  ${k}: { status: mapped }\n`).join('')}`);
  if (!parsed.ok) throw new Error('the test file does not parse');
  vi.mocked(yaml.isPair).mockClear();
  keys.forEach((key, i) => expect(parsed.parsed.lineOf(['layers', key, 'status'])).toBe(i + 2));
  return vi.mocked(yaml.isPair).mock.calls.length;
}

describe('line lookup', () => {
  it('finds the line of each of n problems in a map of n keys with work linear in n', () => {
    const small = lookUpEveryKey(500);
    const large = lookUpEveryKey(1_000);
    expect(small).toBeGreaterThan(0);
    // A scan of the map per lookup would make this ratio 4.
    expect(large / small).toBeLessThan(2.2);
  });
});
