import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MITIGATION,
  DEFAULT_THREAT_MULTIPLIER,
  aivss,
  factorSum,
  mitigationFactor,
  threatMultiplier,
  type Formula,
} from '../../src/score/aivss.js';
import { BAND_FLOORS, bandOf } from '../../src/score/bands.js';
import { scoreModel } from '../../src/score/model.js';
import { ThreatModel } from '../../src/validate/schema.js';
import { aivssVectors, caseTitle, validModelData, type AivssCase } from '../fixtures/index.js';

const vectors = aivssVectors();

const v08 = (c: AivssCase) =>
  aivss('v0.8', { cvss: c.cvss, factorSum: c.factorSum, threatMultiplier: c.threatMultiplier, mitigationFactor: c.mitigationFactor ?? 1 });

describe('AIVSS v0.8: every case of aivss-vectors.json', () => {
  it('reads the vector file (v0.8 cases and the v0.5 legacy cases)', () => {
    expect(vectors.formula).toBe('v0.8');
    expect(vectors.cases).toHaveLength(50);
    expect(vectors.legacy_v0_5.cases).toHaveLength(10);
    expect(vectors.cases.filter((c) => c.source.startsWith('rounding edge'))).toHaveLength(28);
  });

  it.each(vectors.cases.map((c) => [caseTitle(c), c] as const))('%s', (_title, c) => {
    const { score } = v08(c);
    expect(score).toBe(c.score);
    expect(bandOf(score)).toBe(c.severity);
  });
});

describe('AIVSS v0.5 (legacy): every case of aivss-vectors.json', () => {
  it.each(vectors.legacy_v0_5.cases.map((c) => [caseTitle(c), c] as const))('%s', (_title, c) => {
    // The mitigation factor does not exist in v0.5: any value given must be ignored.
    for (const mf of [1, 0.67]) {
      const result = aivss('v0.5', { cvss: c.cvss, factorSum: c.factorSum, threatMultiplier: c.threatMultiplier, mitigationFactor: mf });
      expect(result.score).toBe(c.score);
      expect(result.uplift).toBeNull();
      expect(bandOf(result.score)).toBe(c.severity);
    }
  });
});

/**
 * An independent reference in scaled integers: cvss and factor sum in tenths, ThM and MF in hundredths.
 * raw * 10 = (c * 10^4 + (100 - c) * s * t) * m / 10^6, rounded half up, kept within [0, 100] tenths.
 */
function referenceScore(cvss: number, sum: number, thm: number, mf: number): number {
  const [c, s, t, m] = [
    BigInt(Math.round(cvss * 10)),
    BigInt(Math.round(sum * 10)),
    BigInt(Math.round(thm * 100)),
    BigInt(Math.round(mf * 100)),
  ];
  const scaled = (c * 10_000n + (100n - c) * s * t) * m;
  const tenths = (scaled + 500_000n) / 1_000_000n;
  return Number(tenths > 100n ? 100n : tenths) / 10;
}

describe('AIVSS rounding is decimal half-up', () => {
  it('rounds the spec example CVSS 1.0, sum 8.5, ThM 1, MF 1 (raw 8.65) to 8.7, where float arithmetic gives 8.6', () => {
    const raw = (1 + (10 - 1) * (8.5 / 10) * 1) * 1;
    expect(Math.round(raw * 10) / 10).toBe(8.6);
    expect(aivss('v0.8', { cvss: 1, factorSum: 8.5, threatMultiplier: 1, mitigationFactor: 1 }).score).toBe(8.7);
  });

  it('matches the integer reference over the whole grid of the spec (CVSS x sum in 0.1 steps, every ThM and MF of the tables)', () => {
    const mismatches: string[] = [];
    for (let c = 0; c <= 100; c++) {
      for (let s = 0; s <= 100; s++) {
        for (const thm of [1, 0.97, 0.5]) {
          for (const mf of [1, 0.83, 0.67]) {
            const inputs = { cvss: c / 10, factorSum: s / 10, threatMultiplier: thm, mitigationFactor: mf };
            const expected = referenceScore(inputs.cvss, inputs.factorSum, thm, mf);
            if (aivss('v0.8', inputs).score !== expected) mismatches.push(JSON.stringify(inputs));
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('matches the integer reference for estimated multipliers (ThM 0.01-1.50, MF 0.01-1.00)', () => {
    const tenth = fc.integer({ min: 0, max: 100 }).map((n) => n / 10);
    fc.assert(
      fc.property(tenth, tenth, fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 100 }), (cvss, sum, t, m) => {
        const inputs = { cvss, factorSum: sum, threatMultiplier: t / 100, mitigationFactor: m / 100 };
        const { score } = aivss('v0.8', inputs);
        expect(score).toBe(referenceScore(cvss, sum, t / 100, m / 100));
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(10);
        expect(score).toBe(Math.round(score * 10) / 10);
      }),
      { seed: 20260301, numRuns: 3000 },
    );
  });

  it('reports the agentic uplift AARS rounded to two decimals', () => {
    // (10 - 9.4) * (9.0 / 10) * 0.97 = 0.5238
    expect(aivss('v0.8', { cvss: 9.4, factorSum: 9, threatMultiplier: 0.97, mitigationFactor: 1 }).uplift).toBe(0.52);
    // (10 - 1.0) * (8.5 / 10) * 1 = 7.65 exactly, not 7.64 or 7.66
    expect(aivss('v0.8', { cvss: 1, factorSum: 8.5, threatMultiplier: 1, mitigationFactor: 1 }).uplift).toBe(7.65);
  });
});

describe('AIVSS is kept within [0, 10]', () => {
  it('clamps to 10.0 when ThM > 1 pushes the raw value past 10 (v0.8)', () => {
    // raw = 9 + (10 - 9) * 1 * 1.5 = 10.5
    const result = aivss('v0.8', { cvss: 9, factorSum: 10, threatMultiplier: 1.5, mitigationFactor: 1 });
    expect(result.score).toBe(10);
    expect(result.uplift).toBe(1.5);
    expect(bandOf(result.score)).toBe('critical');
  });

  it('clamps to 10.0 under v0.5 as well', () => {
    // ((10 + 10) / 2) * 1.2 = 12
    expect(aivss('v0.5', { cvss: 10, factorSum: 10, threatMultiplier: 1.2, mitigationFactor: 1 }).score).toBe(10);
  });

  it('gives 10.0, not 10.1, for a raw value just over 10 that rounds up', () => {
    // raw = 9.5 + 0.5 * 1 * 1.1 = 10.05
    expect(aivss('v0.8', { cvss: 9.5, factorSum: 10, threatMultiplier: 1.1, mitigationFactor: 1 }).score).toBe(10);
  });

  it('gives 0.0 for a zero CVSS and zero factors', () => {
    expect(aivss('v0.8', { cvss: 0, factorSum: 0, threatMultiplier: 1, mitigationFactor: 1 }).score).toBe(0);
  });
});

describe('factorSum', () => {
  it('sums ten values of 0.1 to exactly 1 (float addition gives 0.9999999999999999)', () => {
    const tenths = Array.from({ length: 10 }, () => 0.1);
    expect(tenths.reduce((a, b) => a + b, 0)).not.toBe(1);
    expect(factorSum(tenths)).toBe(1);
  });

  it('sums the sample listing factors to exactly 4.4', () => {
    expect(factorSum([0.7, 0.6, 0.2, 0.7, 0.2, 0.5, 0.1, 0.3, 0.6, 0.5])).toBe(4.4);
  });

  it('sums ten ones to 10 and nothing to 0', () => {
    expect(factorSum(Array.from({ length: 10 }, () => 1))).toBe(10);
    expect(factorSum([])).toBe(0);
  });

  it('is exact for any ten values in hundredths', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 10, maxLength: 10 }), (hundredths) => {
        const total = hundredths.reduce((a, b) => a + b, 0);
        expect(factorSum(hundredths.map((h) => h / 100))).toBe(total / 100);
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});

describe('threat multiplier and mitigation factor tables', () => {
  it.each([
    ['v0.8', 'attacked', 1],
    ['v0.8', 'poc', 0.97],
    ['v0.8', 'unreported', 0.5],
    ['v0.5', 'attacked', 1],
    ['v0.5', 'poc', 0.97],
    ['v0.5', 'unreported', 0.91],
  ] as const)('%s: threat multiplier %s is %d', (formula, label, value) => {
    expect(threatMultiplier(formula, label)).toEqual({ value, label });
  });

  it.each([
    ['v0.8', 1, 'attacked'],
    ['v0.8', 0.97, 'poc'],
    ['v0.8', 0.5, 'unreported'],
    ['v0.8', 0.91, null],
    ['v0.5', 0.91, 'unreported'],
    ['v0.5', 0.5, null],
    ['v0.8', 1.05, null],
    ['v0.8', 0.9, null],
  ] as const)('%s: the number %d resolves to the table entry %s', (formula, value, label) => {
    expect(threatMultiplier(formula as Formula, value)).toEqual({ value, label });
  });

  it.each([
    ['none', 1],
    ['partial', 0.83],
    ['strong', 0.67],
  ] as const)('mitigation factor %s is %d', (label, value) => {
    expect(mitigationFactor(label)).toEqual({ value, label });
    expect(mitigationFactor(value)).toEqual({ value, label });
  });

  it('keeps an estimated mitigation factor, off the table', () => {
    expect(mitigationFactor(0.7)).toEqual({ value: 0.7, label: null });
  });

  it('defaults to proof-of-concept and no mitigation', () => {
    expect(DEFAULT_THREAT_MULTIPLIER).toBe('poc');
    expect(DEFAULT_MITIGATION).toBe('none');
  });
});

describe('severity bands', () => {
  it.each([
    [10, 'critical'],
    [9.0, 'critical'],
    [8.9, 'high'],
    [7.0, 'high'],
    [6.9, 'medium'],
    [4.0, 'medium'],
    [3.9, 'low'],
    [0.1, 'low'],
    [0, 'none'],
  ] as const)('%d is %s', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });

  it('has the floors of the spec', () => {
    expect(BAND_FLOORS).toEqual({ critical: 9, high: 7, medium: 4, low: 0.1 });
  });
});

describe('scoreModel', () => {
  const model = (aivssChanges: Record<string, unknown> = {}, drop: string[] = []) => {
    const data = validModelData();
    Object.assign(data.aivss, aivssChanges);
    for (const key of drop) delete data.aivss[key];
    return ThreatModel.parse(data);
  };

  it('scores the valid model with the factors in the spec order', () => {
    const scored = scoreModel(model(), 'v0.8');
    expect(scored.score).toBe(9.4);
    expect(scored.severity).toBe('critical');
    expect(scored.factorSum).toBe(5.5);
    expect(scored.factors.map((f) => f.id)).toEqual([
      'autonomy',
      'planning',
      'self-modification',
      'tool-use',
      'memory',
      'context',
      'identity',
      'multi-agent',
      'non-determinism',
      'opacity',
    ]);
    expect(scored.notes).toEqual([]);
  });

  it('marks defaults as such', () => {
    const scored = scoreModel(model({}, ['threatMultiplier', 'mitigationFactor']), 'v0.8');
    expect(scored.threatMultiplier).toEqual({ value: 0.97, label: 'poc', onTable: true, source: 'default' });
    expect(scored.mitigationFactor).toEqual({ value: 1, label: 'none', onTable: true, source: 'default' });
  });

  it('notes estimated multipliers off the table and still uses them', () => {
    const scored = scoreModel(model({ threatMultiplier: 1.05, mitigationFactor: 0.7 }), 'v0.8');
    expect(scored.threatMultiplier).toMatchObject({ value: 1.05, label: null, onTable: false, source: 'model' });
    expect(scored.mitigationFactor).toMatchObject({ value: 0.7, label: null, onTable: false, source: 'model' });
    expect(scored.notes.map((n) => n.path.join('.'))).toEqual(['aivss.threatMultiplier', 'aivss.mitigationFactor']);
    // (8.7 + 1.3 * 0.55 * 1.05) * 0.7 = 6.61557...
    expect(scored.score).toBe(6.6);
  });

  it('uses the v0.5 table (unreported 0.91) and notes an ignored mitigation factor under v0.5', () => {
    const scored = scoreModel(model({ threatMultiplier: 'unreported', mitigationFactor: 'strong' }), 'v0.5');
    expect(scored.threatMultiplier.value).toBe(0.91);
    // ((8.7 + 5.5) / 2) * 0.91 = 6.461
    expect(scored.score).toBe(6.5);
    expect(scored.uplift).toBeNull();
    expect(scored.notes.some((n) => n.message.includes('no mitigation factor'))).toBe(true);
  });

  it('uses 0.50 for unreported under v0.8', () => {
    const scored = scoreModel(model({ threatMultiplier: 'unreported' }), 'v0.8');
    expect(scored.threatMultiplier.value).toBe(0.5);
    // 8.7 + 1.3 * 0.55 * 0.5 = 9.0575
    expect(scored.score).toBe(9.1);
  });

  it('is unscored, with the factor sum, when there is no CVSS base', () => {
    const scored = scoreModel(model({}, ['cvss']), 'v0.8');
    expect(scored.score).toBeNull();
    expect(scored.severity).toBeNull();
    expect(scored.cvss).toBeNull();
    expect(scored.uplift).toBeNull();
    expect(scored.factorSum).toBe(5.5);
  });
});
