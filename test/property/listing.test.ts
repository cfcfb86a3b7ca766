import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFile } from '../../src/engine.js';
import { parseListing } from '../../src/parse/listing.js';
import { REQUIRED_LAYERS } from '../../src/spec/layers.js';

/**
 * The listing parser on mutations of the sample listing: it never throws, and whatever it accepts has exactly
 * the ten factors and the seven layers L1-L7, never a guess.
 */

const SAMPLE = readFileSync(new URL('../../examples/micro-agent.listing.txt', import.meta.url), 'utf8');
const LINES = SAMPLE.split('\n');

const line = fc.oneof(
  fc.constantFrom(...LINES),
  fc.constantFrom(
    '',
    '| Autonomy of Action | 0.70 | |',
    '| Factor | Value | Rationale |',
    '|---|---|---|',
    '| __proto__ | 0.4 |',
    '| Autonomy | .5 |',
    '| Opacity | 1e400 |',
    '| Memory | -0 |',
  ),
  fc.constantFrom(
    'OWASP AIVSS score rationale',
    '## MAESTRO 7-layer threat model',
    'Not certain from the listing — x',
    'MAESTRO — closing line',
    'X — agentic threat model',
  ),
  fc.string({ maxLength: 40 }),
);

type Mutation = (lines: string[]) => string[];
const at = (lines: string[], i: number) => i % Math.max(1, lines.length);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (i): Mutation =>
      (lines) =>
        lines.filter((_, j) => j !== at(lines, i)),
  ),
  fc.nat().map(
    (i): Mutation =>
      (lines) =>
        lines.flatMap((l, j) => (j === at(lines, i) ? [l, l] : [l])),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(([i, k]): Mutation => (lines) => {
    const copy = [...lines];
    [copy[at(lines, i)], copy[at(lines, k)]] = [copy[at(lines, k)]!, copy[at(lines, i)]!];
    return copy;
  }),
  fc.tuple(fc.nat(), line).map(([i, text]): Mutation => (lines) => [...lines.slice(0, at(lines, i)), text, ...lines.slice(at(lines, i))]),
  fc.tuple(fc.nat(), line).map(
    ([i, text]): Mutation =>
      (lines) =>
        lines.map((l, j) => (j === at(lines, i) ? text : l)),
  ),
  fc.tuple(fc.nat(), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(
    ([i, k, chars]): Mutation =>
      (lines) =>
        lines.map((l, j) => (j === at(lines, i) ? l.slice(0, k % (l.length + 1)) + chars + l.slice((k % (l.length + 1)) + 1) : l)),
  ),
  fc.nat().map(
    (i): Mutation =>
      (lines) =>
        lines.slice(0, at(lines, i)),
  ),
  fc.constant<Mutation>((lines) => lines.map((l) => `${l}\r`)),
  fc.constant<Mutation>((lines) => lines.map((l) => (l.startsWith('|') ? l : `## ${l}`))),
);

const mutated = fc
  .array(mutation, { minLength: 1, maxLength: 4 })
  .map((mutations) => mutations.reduce((lines, m) => m(lines), LINES).join('\n'));

describe('the listing parser', () => {
  it('never throws on a mutated listing; what it accepts has exactly ten factors and the seven layers', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        expect(() => parseListing(text)).not.toThrow();
        const result = evaluateFile('threat-models/micro-agent.txt', text, 'v0.8');
        if (result.status === 'invalid') {
          expect(result.errors.length).toBeGreaterThan(0);
          return;
        }
        expect(result.factors).toHaveLength(10);
        expect(result.layers.map((l) => l.id).filter((id) => (REQUIRED_LAYERS as readonly string[]).includes(id))).toEqual([
          ...REQUIRED_LAYERS,
        ]);
        for (const factor of result.factors) expect(factor.value >= 0 && factor.value <= 1).toBe(true);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('the sample itself is accepted, unscored', () => {
    expect(evaluateFile('threat-models/micro-agent.txt', SAMPLE, 'v0.8')).toMatchObject({ format: 'listing', status: 'unscored' });
  });
});
