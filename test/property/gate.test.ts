import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/policy/config.js';
import { gateModel, type GateInput } from '../../src/policy/gate.js';
import { BANDS } from '../../src/score/bands.js';

/** The gate passes a model only on a score provably below the threshold: never on a value that is no score. */

const failOn = fc.oneof(
  fc.constantFrom('critical', 'high', 'medium', 'low'),
  fc.integer({ min: 1, max: 100 }).map((n) => n / 10),
);
const config = failOn.map((f) => resolveConfig(null, { 'fail-on': f }));

/** Whatever a bug or a forged report could put where the score belongs, cast through the types. */
const notAScore = fc.oneof(
  fc.constantFrom<unknown>(
    Number.NaN,
    null,
    undefined,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    -Number.MIN_VALUE,
    '',
    '0',
    '1',
    [],
    [0],
    {},
    true,
    false,
    0n,
  ),
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
  fc.double({ min: 10.000001, noNaN: true }),
  fc.string({ maxLength: 5 }),
);

const model = (score: unknown, status: GateInput['status'] = 'scored'): GateInput => ({
  file: 'threat-models/a.yaml',
  agentId: 'a',
  status,
  score: score as number,
  severity: null,
});

describe('gateModel', () => {
  it('never passes a scored model whose score is not a number from 0 to 10', () => {
    fc.assert(
      fc.property(notAScore, config, fc.constantFrom(null, ...BANDS), (score, policy, severity) => {
        const gate = gateModel({ ...model(score), severity }, policy, '2026-01-01');
        expect(gate.outcome).toBe('fail');
        expect(gate.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000, seed: 31 },
    );
  });

  it('passes a score only when it is below the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }).map((n) => n / 10),
        config,
        (score, policy) => {
          const limit =
            typeof policy['fail-on'] === 'number' ? policy['fail-on'] : { critical: 9, high: 7, medium: 4, low: 0.1 }[policy['fail-on']];
          expect(gateModel(model(score), policy, '2026-01-01').outcome).toBe(score < limit ? 'pass' : 'fail');
        },
      ),
      { numRuns: 2000, seed: 32 },
    );
  });

  it('an invalid or unscored model fails under the default policy whatever its score says', () => {
    fc.assert(
      fc.property(
        fc.oneof(notAScore, fc.double({ min: 0, max: 10, noNaN: true })),
        fc.constantFrom<GateInput['status']>('invalid', 'unscored'),
        (score, status) => {
          expect(gateModel(model(score, status), resolveConfig(null), '2026-01-01').outcome).toBe('fail');
        },
      ),
      { numRuns: 1000, seed: 33 },
    );
  });
});
