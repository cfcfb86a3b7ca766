import { describe, expect, it } from 'vitest';
import { evaluateText } from '../../src/engine.js';
import { resolveConfig } from '../../src/policy/config.js';
import { fuzz, loadBases } from '../../scripts/fuzz-core.js';

const config = resolveConfig(null);

describe('fuzzer', () => {
  it('finds no crash in a short fixed-seed pass', async () => {
    const stats = fuzz({ seed: 1, from: 0, iterations: 2_000, bases: await loadBases(), config, slowMs: 2_000 });
    expect(stats.tried).toBe(2_000);
    expect(stats.findings.filter((f) => f.kind === 'crash')).toEqual([]);
  }, 300_000);
});

describe('inputs the fuzzer found', () => {
  it('refuses YAML nested deeper than the parser can recurse, every time', () => {
    // The second deep parse used to abort the process (V8 compiling a regexp at the stack limit).
    for (const text of ['a: ' + '? '.repeat(50_000), 'a: ' + '? '.repeat(100_000), '['.repeat(100_000)]) {
      const report = evaluateText('deep.yaml', text, config);
      expect(report.status).toBe('invalid');
      expect(report.errors[0]!.message).toMatch(/nests more than 100 levels/);
    }
  });

  // A quadratic pass over these inputs would take minutes, far past the test's time limit; no clock is read.
  it('finds repeated keys in a map of 40,000 keys in linear time', () => {
    const text = `${Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join('\n')}\nk7: 2\n`;
    const report = evaluateText('keys.yaml', text, config);
    expect(report.errors).toEqual([{ line: 40_001, message: 'Map keys must be unique' }]);
  });

  it('reads a first line of 100,000 dashes in linear time', () => {
    const report = evaluateText('dashes.txt', `${'-'.repeat(100_000)}\nOWASP AIVSS score rationale\n`, config);
    expect(report.status).toBe('invalid');
  });

  it('reads long lines of every shape the rendered page has, once each', () => {
    // The listing readers' regexes are linted against super-linear backtracking (eslint-plugin-regexp); these
    // lines would take hours, far past the test's timeout, with a quadratic pattern.
    const n = 100_000;
    const page = (line: string) =>
      `X — agentic threat model\n${line}\nOWASP AIVSS score rationale\n${line}\nMAESTRO 7-layer threat model\n${line}\n`;
    for (const line of [
      `|--${' '.repeat(n)}x`,
      `CVSS base ${'1'.repeat(n)}`,
      'CVSS base '.repeat(n / 10),
      `6.2AIVSS 6.2 · ${' '.repeat(n)}x`,
      `L1 · ${'⚠'.repeat(n)}`,
      `L1${' ·'.repeat(n / 2)}`,
      `Autonomy of Action${'0.'.repeat(n / 2)}`,
      `${'a'.repeat(n)} ${'-'.repeat(n)}`,
    ]) {
      const report = evaluateText('page.txt', page(line), config);
      expect(report.status).toBe('invalid');
      expect(report.name).toBe('X');
    }
  });
});
