import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { evaluateFile } from '../../src/engine.js';
import { parseYaml } from '../../src/parse/yaml.js';
import type { Evaluation } from '../../src/report/build.js';
import { FORMULAS } from '../../src/score/aivss.js';

/**
 * The native parser on anything: it never throws, every file ends scored, unscored or invalid, and every
 * problem it reports sits on a line of the file (or on none).
 */

const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

function expectWellFormed(text: string, result: Evaluation): void {
  expect(['scored', 'unscored', 'invalid']).toContain(result.status);
  if (result.status === 'invalid') expect(result.errors.length).toBeGreaterThan(0);
  if (result.status === 'scored') {
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(10);
  }
  for (const problem of [...result.errors, ...result.warnings]) {
    if (problem.line !== null) {
      expect(Number.isInteger(problem.line)).toBe(true);
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(lineCount(text));
    }
  }
}

/** Pieces of YAML syntax, keys of the format and the values the format refuses, joined at random. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ':',
        ': ',
        '- ',
        '  ',
        '\n',
        '\r\n',
        '\r',
        '\t',
        '[',
        ']',
        '{',
        '}',
        ',',
        '"',
        "'",
        '#',
        '|',
        '>',
        '?',
        '&a',
        '*a',
        '!!str',
        '!tag',
        '<<',
        '---',
        '...',
        '%YAML 1.2',
      ),
      fc.constantFrom(
        'formatVersion',
        'agent',
        'id',
        'name',
        'aivss',
        'factors',
        'cvss',
        'layers',
        'L1',
        'status',
        'threats',
        '__proto__',
        'constructor',
      ),
      fc.constantFrom(
        '1',
        '0.5',
        '-0',
        '.nan',
        '.inf',
        '1e400',
        'null',
        'true',
        '~',
        'CVSS:4.0/AV:N',
        'autonomy',
        'mapped',
        '\u0000',
        '\uFEFF',
        '\u202E',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), yamlish);

const EXAMPLE: unknown = parse(readFileSync(new URL('../../examples/release-ops-agent.threat-model.yaml', import.meta.url), 'utf8'));

/** Every path to a value in the example, so a mutation can land anywhere in a real model. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}
const PATHS = paths(EXAMPLE);

const odd = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  1e308,
  -1,
  10.05,
  1.0000001,
  '',
  '7',
  null,
  [],
  {},
);
const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), odd);

/** The example with one value replaced, or a key added next to it (prototype keys among them). */
const mutatedModel = fc
  .tuple(
    fc.constantFrom(...PATHS),
    value,
    fc.option(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'cvss', 'L8'), { nil: undefined }),
  )
  .map(([path, replacement, addedKey]) => {
    const model = structuredClone(EXAMPLE) as Record<string | number, unknown>;
    if (path.length === 0) return replacement;
    const parent = path
      .slice(0, -1)
      .reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, model);
    if (addedKey !== undefined && typeof parent === 'object' && !Array.isArray(parent))
      Object.defineProperty(parent, addedKey, { value: replacement, enumerable: true });
    else parent[path.at(-1)!] = replacement;
    return model;
  });

describe('the native parser', () => {
  it('on arbitrary text: never throws; scored, unscored or invalid, problems on lines of the file', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...FORMULAS), (text, formula) => {
        expectWellFormed(text, evaluateFile('threat-models/any.yaml', text, formula));
      }),
      { numRuns: 3000, seed: 5 },
    );
  });

  it('on arbitrary JSON-like data written as YAML', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.object({ maxDepth: 3 })), (data) => {
        const text = stringify(data);
        expectWellFormed(text, evaluateFile('threat-models/any.yaml', text, 'v0.8'));
      }),
      { numRuns: 1000, seed: 6 },
    );
  });

  it('on a real model with one value replaced or one key added: never a crash, never a score outside [0, 10]', () => {
    fc.assert(
      fc.property(mutatedModel, fc.boolean(), (model, asJson) => {
        const text = asJson ? (JSON.stringify(model) ?? 'null') : stringify(model);
        const result = evaluateFile('threat-models/any.yaml', text, 'v0.8');
        expectWellFormed(text, result);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('parseYaml alone never throws, and refuses with at least one problem', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseYaml(text);
        if (!parsed.ok) expect(parsed.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000, seed: 8 },
    );
  });
});
