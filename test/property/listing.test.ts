import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFile } from '../../src/engine.js';
import { parseListing } from '../../src/parse/listing/index.js';
import { REQUIRED_LAYERS } from '../../src/spec/layers.js';

/**
 * The listing parser on mutations of both published forms, the text copy and the rendered page: it never throws,
 * and whatever it accepts has exactly the ten factors and the seven layers L1-L7, never a guess, and no layer text
 * that starts with a heading's mark or the caveat prefix; a listing it scores took its inputs from an inputs line.
 */

const example = (file: string) => readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8');
const SAMPLES = { 'text copy': example('micro-agent.listing.txt'), 'rendered page': example('relay-scribe.listing.txt') };

const line = fc.oneof(
  fc.constantFrom(...Object.values(SAMPLES).flatMap((sample) => sample.split('\n'))),
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
  fc.constantFrom(
    'CVSS base 6.0AARS uplift 1.29Factor sum 3.4/10Threat ×0.95Mitigation ×0.85',
    'CVSS base 9 · Threat ×1.1 · Mitigation ×1',
    'CVSS base 6.0Threat ×Mitigation ×0.85',
    'Factor sum 3.4/10',
    '6.2AIVSS 6.2 · Medium',
    '**7.0** AIVSS 7.0 · High',
    'AIVSS 6.2 · Medium',
    'L1 · Foundation Models⚠ not certain from listing',
    'L3 · Agent Frameworks✓ mapped',
    '### L7 · Agent Ecosystem ✅',
    'L9 · Nowhere✓ mapped',
    'L2 · Foundation Models✓ mapped',
    'Autonomy of Action',
    '0.40',
    'Opacity & Reflexivity 0.30',
    'AgentReadyHomeAgent Listing',
    '← Relay Scribe',
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
  fc.constant<Mutation>((lines) => lines.filter((l) => l !== '')),
);

const mutationsOf = (sample: string) =>
  fc
    .array(mutation, { minLength: 1, maxLength: 4 })
    .map((mutations) => mutations.reduce((lines, m) => m(lines), sample.split('\n')).join('\n'));

const MARK_OR_CAVEAT = /^(⚠|✓|✔|✅|not certain from (the )?listing)/i;

describe.each(Object.entries(SAMPLES))('the listing parser on mutations of the %s', (_form, sample) => {
  it('never throws; what it accepts has ten factors, the seven layers and clean layer text, never a guess', () => {
    fc.assert(
      fc.property(mutationsOf(sample), (text) => {
        expect(() => parseListing(text)).not.toThrow();
        const result = evaluateFile('threat-models/agent.txt', text, 'v0.8');
        if (result.status === 'invalid') {
          expect(result.errors.length).toBeGreaterThan(0);
          expect(result.errors.every((e) => e.message.trim() !== '')).toBe(true);
          return;
        }
        expect(result.factors).toHaveLength(10);
        expect(result.layers.map((l) => l.id).filter((id) => (REQUIRED_LAYERS as readonly string[]).includes(id))).toEqual([
          ...REQUIRED_LAYERS,
        ]);
        for (const factor of result.factors) expect(factor.value >= 0 && factor.value <= 1).toBe(true);
        for (const layer of result.layers) expect(layer.summary).not.toMatch(MARK_OR_CAVEAT);
        if (result.status === 'scored') {
          expect(text).toMatch(/CVSS base/i);
          expect(result.threatMultiplier!.source).toBe('model');
          expect(result.mitigationFactor!.source).toBe('model');
        }
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
});

describe('the samples themselves', () => {
  it('the text copy is accepted, unscored', () => {
    expect(evaluateFile('threat-models/micro-agent.txt', SAMPLES['text copy'], 'v0.8')).toMatchObject({
      format: 'listing',
      status: 'unscored',
    });
  });

  it('the rendered page is accepted, scored 6.2 as its badge says', () => {
    expect(evaluateFile('threat-models/relay-scribe.txt', SAMPLES['rendered page'], 'v0.8')).toMatchObject({
      format: 'listing',
      status: 'scored',
      score: 6.2,
      declaredScore: 6.2,
    });
  });
});
