import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/policy/config.js';
import { decideVerdict, gateModel as gateWithDate, type Gate, type GateInput } from '../../src/policy/gate.js';
import { BAND_FLOORS, bandOf } from '../../src/score/bands.js';
import { config } from '../fixtures/index.js';

const TODAY = '2026-03-01';
const gateModel = (model: GateInput, policy = config()) => gateWithDate(model, policy, TODAY);

const model = { file: 'threat-models/payments.yaml', agentId: 'payments-agent' };
const scored = (score: number | null | undefined): GateInput => ({
  ...model,
  status: 'scored',
  score: score as number | null,
  severity: typeof score === 'number' && !Number.isNaN(score) ? bandOf(score) : null,
});
const unscored: GateInput = { ...model, status: 'unscored', score: null, severity: null };
const invalid: GateInput = { ...model, status: 'invalid', score: null, severity: null };

const pass: Gate = { outcome: 'pass', reasons: [], waivers: [] };

describe('gateModel: scored models', () => {
  it.each(Object.entries(BAND_FLOORS))('fail-on %s: a score at the floor (%d) fails, one step below passes', (band, floor) => {
    const policy = config({ 'fail-on': band as keyof typeof BAND_FLOORS });
    expect(gateModel(scored(floor), policy).outcome).toBe('fail');
    expect(gateModel(scored(Math.round(floor * 10 - 1) / 10), policy)).toEqual(pass);
    expect(gateModel(scored(10), policy).outcome).toBe('fail');
  });

  it('fails at the threshold and says why', () => {
    expect(gateModel(scored(7), config())).toEqual({
      outcome: 'fail',
      reasons: ['score 7.0 is at or above fail-on high (7.0)'],
      waivers: [],
    });
  });

  it('passes just below the threshold', () => {
    expect(gateModel(scored(6.9), config())).toEqual(pass);
  });

  it('uses a numeric fail-on as is', () => {
    const policy = config({ 'fail-on': 8.5 });
    expect(gateModel(scored(8.5), policy)).toMatchObject({ outcome: 'fail', reasons: ['score 8.5 is at or above fail-on 8.5'] });
    expect(gateModel(scored(8.4), policy)).toEqual(pass);
  });

  it('passes a zero score unless fail-on is reached', () => {
    expect(gateModel(scored(0), config({ 'fail-on': 'low' }))).toEqual(pass);
  });

  it.each([
    ['NaN', Number.NaN],
    ['null', null],
    ['undefined', undefined],
  ])('never passes a %s score', (_what, score) => {
    for (const failOn of ['critical', 'low', 10] as const) {
      expect(gateModel(scored(score), config({ 'fail-on': failOn }))).toEqual({
        outcome: 'fail',
        reasons: ['the score is missing or not a number from 0 to 10'],
        waivers: [],
      });
    }
  });

  it('never passes a score that is not a number at all', () => {
    const odd = { ...model, status: 'scored', score: '5' as unknown as number, severity: 'medium' } as const;
    expect(gateModel(odd, config()).outcome).toBe('fail');
  });

  it('fails a score above 10 rather than ignoring it', () => {
    expect(gateModel(scored(Number.POSITIVE_INFINITY), config({ 'fail-on': 10 })).outcome).toBe('fail');
  });

  it('is not changed by warn-only (that changes the exit status only)', () => {
    expect(gateModel(scored(9.9), config({ 'warn-only': true })).outcome).toBe('fail');
  });
});

describe('gateModel: unscored and invalid models follow the policy', () => {
  it.each(['fail', 'warn'] as const)('on-unscored: %s', (outcome) => {
    const gate = gateModel(unscored, config({ 'on-unscored': outcome, 'on-invalid': outcome === 'fail' ? 'warn' : 'fail' }));
    expect(gate.outcome).toBe(outcome);
    expect(gate.reasons).toEqual(['no CVSS base is given, so there is no AIVSS score']);
  });

  it.each(['fail', 'warn'] as const)('on-invalid: %s', (outcome) => {
    const gate = gateModel(invalid, config({ 'on-invalid': outcome, 'on-unscored': outcome === 'fail' ? 'warn' : 'fail' }));
    expect(gate.outcome).toBe(outcome);
    expect(gate.reasons).toEqual(['the file could not be read as a valid threat model']);
  });

  it('an unscored model never passes, whatever fail-on is', () => {
    expect(gateModel(unscored, config({ 'fail-on': 10 })).outcome).toBe('fail');
  });

  it('an invalid model is not rescued by a stray score', () => {
    expect(gateModel({ ...model, status: 'invalid', score: 0, severity: 'none' }, config({ 'fail-on': 10 })).outcome).toBe('fail');
  });

  it('fails by default', () => {
    expect(gateModel(unscored, config()).outcome).toBe('fail');
    expect(gateModel(invalid, config()).outcome).toBe('fail');
  });
});

describe('decideVerdict', () => {
  const fail: Gate = { outcome: 'fail', reasons: ['score 9.4 is at or above fail-on high (7.0)'], waivers: [] };
  const warn: Gate = { outcome: 'warn', reasons: ['no CVSS base is given, so there is no AIVSS score'], waivers: [] };

  it('fails when no file was found, naming the patterns that matched nothing', () => {
    const verdict = decideVerdict([], ['threat-models/**', '**/*.threat-model.yaml']);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.reasons).toEqual(['no threat-model files found: "threat-models/**", "**/*.threat-model.yaml" matched nothing']);
  });

  it('passes when every model passes or warns', () => {
    expect(
      decideVerdict(
        [
          { file: 'a.yaml', gate: pass },
          { file: 'b.txt', gate: warn },
        ],
        [],
      ),
    ).toEqual({ verdict: 'pass', reasons: [] });
  });

  it('fails on run-level reasons even when every model passes', () => {
    expect(decideVerdict([{ file: 'a.yaml', gate: pass }], [], ['the policy was loosened'])).toEqual({
      verdict: 'fail',
      reasons: ['the policy was loosened'],
    });
  });

  it('passes when models were found even if some patterns matched nothing', () => {
    expect(decideVerdict([{ file: 'a.yaml', gate: pass }], ['unused/**']).verdict).toBe('pass');
  });

  it('fails when any model fails, naming each failing file with its reasons', () => {
    const verdict = decideVerdict(
      [
        { file: 'a.yaml', gate: pass },
        { file: 'b.yaml', gate: fail },
        { file: 'c.yaml', gate: { outcome: 'fail', reasons: ['one', 'two'], waivers: [] } },
      ],
      [],
    );
    expect(verdict).toEqual({ verdict: 'fail', reasons: ['b.yaml: score 9.4 is at or above fail-on high (7.0)', 'c.yaml: one; two'] });
  });
});

describe('gateModel: removed models and emptied layers follow on-removed', () => {
  it.each(['fail', 'warn'] as const)('on-removed: %s', (outcome) => {
    const removed: GateInput = { ...model, status: 'removed', score: null, severity: null };
    expect(gateModel(removed, config({ 'on-removed': outcome })).outcome).toBe(outcome);
    const emptied = gateModel({ ...scored(1), emptiedLayers: ['L3'] }, config({ 'on-removed': outcome }));
    expect(emptied).toMatchObject({ outcome, reasons: ['layer L3 was emptied in this pull request'] });
  });
});

describe('gateModel: waivers', () => {
  const waiver = (changes: Partial<NonNullable<ConfigInput['waivers']>[number]> = {}) => ({
    model: 'payments-agent',
    owner: 'security-team',
    reason: 'accepted until the payee filter ships',
    expires: TODAY,
    ...changes,
  });
  const withWaivers = (...waivers: ReturnType<typeof waiver>[]) => config({ waivers });

  it('turns a failure into a warning through the expiry day, naming the waiver', () => {
    const gate = gateModel(scored(9.4), withWaivers(waiver()));
    expect(gate.outcome).toBe('warn');
    expect(gate.reasons).toEqual([
      'score 9.4 is at or above fail-on high (7.0), accepted by the waiver for payments-agent by security-team, until 2026-03-01: accepted until the payee filter ships',
    ]);
    expect(gate.waivers).toEqual([{ ...waiver(), expired: false }]);
  });

  it('matches a model by its file path as well as its agent id', () => {
    expect(gateModel(scored(9.4), withWaivers(waiver({ model: model.file }))).outcome).toBe('warn');
    expect(gateModel(scored(9.4), withWaivers(waiver({ model: 'other-agent' }))).outcome).toBe('fail');
  });

  it('fails once the waiver has expired, saying so', () => {
    const gate = gateModel(scored(1), withWaivers(waiver({ expires: '2026-02-28' })));
    expect(gate.outcome).toBe('fail');
    expect(gate.reasons).toEqual([expect.stringMatching(/has expired: renew it or fix the risk$/)]);
  });

  it('does not turn a missing or NaN score into a pass', () => {
    expect(gateModel(scored(Number.NaN), withWaivers(waiver())).outcome).toBe('warn');
  });

  it('does not let a waiver scoped to one layer cover a score failure', () => {
    expect(gateModel(scored(9.4), withWaivers(waiver({ layer: 'L3' }))).outcome).toBe('fail');
    expect(gateModel({ ...scored(1), emptiedLayers: ['L3'] }, withWaivers(waiver({ layer: 'L3' }))).outcome).toBe('warn');
  });
});
