import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aivss, factorSum, type Formula } from '../../src/score/aivss.js';

/**
 * The AIVSS formula against an independent reference in integer arithmetic (BigInt): inputs with two decimals
 * are hundredths, so every step is exact and half-up rounding is a floor of (2N + D) / 2D.
 */

interface Hundredths {
  cvss: number;
  sum: number;
  thm: number;
  mf: number;
}

/** v0.8: RoundHalfUp((C + (10 - C) × S/10 × T) × M, 1), kept within [0, 10]; in tenths. */
function referenceTenths(formula: Formula, { cvss, sum, thm, mf }: Hundredths): bigint {
  const [c, s, t, m] = [cvss, sum, thm, mf].map(BigInt) as [bigint, bigint, bigint, bigint];
  // v0.8, in units of 10^-9: C×10^5 + (1000 - C)×S×T (units of 10^-7), times M (10^-2).
  // v0.5: (C + S)/2 × T, in units of 2×10^-4.
  const [numerator, denominator] = formula === 'v0.8' ? [(c * 100_000n + (1000n - c) * s * t) * m, 1_000_000_000n] : [(c + s) * t, 20_000n];
  const tenths = (2n * numerator * 10n + denominator) / (2n * denominator);
  return tenths > 100n ? 100n : tenths;
}

const score = (formula: Formula, h: Hundredths) =>
  aivss(formula, { cvss: h.cvss / 100, factorSum: h.sum / 100, threatMultiplier: h.thm / 100, mitigationFactor: h.mf / 100 }).score;

const TABLE_THM = [100, 97, 50, 91];
const TABLE_MF = [100, 83, 67];
/** Inputs as the schema admits them, to two decimals; ThM at most 1 (see the CVSS monotonicity test). */
const inputs = fc.record({
  cvss: fc.integer({ min: 0, max: 1000 }),
  sum: fc.integer({ min: 0, max: 1000 }),
  thm: fc.oneof(fc.constantFrom(...TABLE_THM), fc.integer({ min: 1, max: 100 })),
  mf: fc.oneof(fc.constantFrom(...TABLE_MF), fc.integer({ min: 1, max: 100 })),
});
const formula = fc.constantFrom<Formula>('v0.8', 'v0.5');

describe('aivss()', () => {
  it('equals the decimal reference, to the tenth', () => {
    fc.assert(
      fc.property(formula, inputs, (f, h) => {
        expect(Math.round(score(f, h) * 10)).toBe(Number(referenceTenths(f, h)));
      }),
      { numRuns: 5000, seed: 21 },
    );
  });

  it('is always within [0, 10], whatever number each input is', () => {
    const anyInputs = fc.record({
      cvss: fc.double({ min: 0, max: 10, noNaN: true }),
      factorSum: fc.double({ min: 0, max: 10, noNaN: true }),
      threatMultiplier: fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true }),
      mitigationFactor: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(formula, anyInputs, (f, i) => {
        const { score: s } = aivss(f, i);
        expect(s >= 0 && s <= 10 && !Object.is(s, -0)).toBe(true);
        expect(Math.round(s * 10) / 10).toBe(s);
      }),
      { numRuns: 3000, seed: 22 },
    );
  });

  it('does not decrease when the factor sum or the CVSS base grows, ThM and MF fixed', () => {
    fc.assert(
      fc.property(formula, inputs, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (f, h, cvss, sum) => {
        expect(score(f, { ...h, sum: Math.max(h.sum, sum) })).toBeGreaterThanOrEqual(score(f, { ...h, sum: Math.min(h.sum, sum) }));
        expect(score(f, { ...h, cvss: Math.max(h.cvss, cvss) })).toBeGreaterThanOrEqual(score(f, { ...h, cvss: Math.min(h.cvss, cvss) }));
      }),
      { numRuns: 3000, seed: 23 },
    );
  });

  it('does not decrease when any one of the ten factors grows', () => {
    const factors = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 10, maxLength: 10 });
    fc.assert(
      fc.property(formula, inputs, factors, fc.nat(9), fc.integer({ min: 0, max: 100 }), (f, h, values, index, raised) => {
        const sum = (v: number[]) => Math.round(factorSum(v.map((x) => x / 100)) * 100);
        const higher = values.map((v, i) => (i === index ? Math.max(v, raised) : v));
        expect(score(f, { ...h, sum: sum(higher) })).toBeGreaterThanOrEqual(score(f, { ...h, sum: sum(values) }));
        expect(factorSum(values.map((x) => x / 100))).toBe(values.reduce((a, b) => a + b, 0) / 100);
      }),
      { numRuns: 3000, seed: 24 },
    );
  });
});
