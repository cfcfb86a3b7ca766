import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/policy/config.js';
import { gateModel as gateWithDate, type Gate, type GateInput } from '../../src/policy/gate.js';
import { decideVerdict } from '../../src/policy/verdict.js';
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

const pass: Gate = { outcome: 'pass', reasons: [], waivers: [], waivedThreats: [] };

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
      waivedThreats: [],
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
        waivedThreats: [],
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
  const fail: Gate = { outcome: 'fail', reasons: ['score 9.4 is at or above fail-on high (7.0)'], waivers: [], waivedThreats: [] };
  const warn: Gate = { outcome: 'warn', reasons: ['no CVSS base is given, so there is no AIVSS score'], waivers: [], waivedThreats: [] };

  it('fails when no file was found, naming the patterns that matched nothing', () => {
    const verdict = decideVerdict({ models: [], unmatched: ['threat-models/**', '**/*.threat-model.yaml'], today: TODAY });
    expect(verdict.verdict).toBe('fail');
    expect(verdict.reasons).toEqual(['no threat-model files found: "threat-models/**", "**/*.threat-model.yaml" matched nothing']);
  });

  it('passes when every model passes or warns', () => {
    expect(
      decideVerdict({
        models: [
          { file: 'a.yaml', agentId: 'a', gate: pass },
          { file: 'b.txt', agentId: 'b', gate: warn },
        ],
        unmatched: [],
        today: TODAY,
      }),
    ).toEqual({ verdict: 'pass', reasons: [], notes: [] });
  });

  it('fails on run-level reasons even when every model passes', () => {
    const models = [{ file: 'a.yaml', agentId: 'a', gate: pass }];
    expect(decideVerdict({ models, unmatched: [], problems: ['too many files'], today: TODAY })).toEqual({
      verdict: 'fail',
      reasons: ['too many files'],
      notes: [],
    });
  });

  it('passes when models were found even if some patterns matched nothing', () => {
    expect(decideVerdict({ models: [{ file: 'a.yaml', agentId: 'a', gate: pass }], unmatched: ['unused/**'], today: TODAY }).verdict).toBe(
      'pass',
    );
  });

  it('fails when any model fails, naming each failing file with its reasons', () => {
    const verdict = decideVerdict({
      models: [
        { file: 'a.yaml', agentId: 'a', gate: pass },
        { file: 'b.yaml', agentId: 'b', gate: fail },
        { file: 'c.yaml', agentId: 'c', gate: { ...fail, reasons: ['one', 'two'] } },
      ],
      unmatched: [],
      today: TODAY,
    });
    expect(verdict.reasons).toEqual(['b.yaml: score 9.4 is at or above fail-on high (7.0)', 'c.yaml: one; two']);
  });

  it('fails on a failing removed model and on an expired waiver that names no model; notes a live one', () => {
    const waiver = { model: 'gone-agent', owner: '@sec', reason: 'accepted', expires: '2026-02-28' };
    const verdict = decideVerdict({
      models: [{ file: 'a.yaml', agentId: 'a', gate: pass }],
      removed: [{ file: 'b.yaml', agentId: 'b', gate: fail }],
      unmatched: [],
      waivers: [waiver, { ...waiver, expires: '2999-01-01' }, { ...waiver, model: 'b' }],
      today: TODAY,
    });
    expect(verdict).toEqual({
      verdict: 'fail',
      reasons: [
        'b.yaml: score 9.4 is at or above fail-on high (7.0)',
        'the waiver for gone-agent by @sec, until 2026-02-28 has expired and names no model: remove it',
      ],
      notes: ['the waiver for gone-agent by @sec, until 2999-01-01 names no model'],
    });
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
    expect(gate.waivers).toEqual([{ ...waiver(), expired: false, applies: true }]);
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

describe('gateModel on a pull request: a waiver covers the model it was granted for, at the score it was granted for', () => {
  const waiver = { model: 'payments-agent', owner: '@sec', reason: 'accepted', expires: '2999-01-01' };
  const named = 'waiver for payments-agent by @sec, until 2999-01-01';
  const inBase = (file: string, agentId: string | null, score: number | null) => ({
    file,
    agentId,
    status: score === null ? 'unscored' : 'scored',
    score,
  });
  const waived = inBase(model.file, 'payments-agent', 8.1);
  const pr = (input: GateInput, paired: ReturnType<typeof inBase> | null, models = [waived]): GateInput => ({
    ...input,
    base: { paired, models },
  });
  const policy = (changes: Partial<NonNullable<ConfigInput['waivers']>[number]> = {}) => config({ waivers: [{ ...waiver, ...changes }] });

  it('a new model that takes a waived agent id fails, saying whom the waiver was granted for', () => {
    const newcomer = { ...scored(10), file: 'threat-models/new.yaml' };
    const renamed = inBase(model.file, 'payments-agent', 8.1);
    const gate = gateModel(pr(newcomer, null, [renamed]), policy());
    expect(gate.outcome).toBe('fail');
    expect(gate.reasons).toEqual([
      'score 10.0 is at or above fail-on high (7.0)',
      `the ${named} was granted for the model at threat-models/payments.yaml in the base; this is a new model`,
    ]);
    expect(gate.waivers).toEqual([{ ...waiver, expired: false, applies: false }]);
  });

  it('a model of the base that takes a waived agent id is not covered either', () => {
    const other = inBase('threat-models/other.yaml', 'other-agent', 3.0);
    const gate = gateModel(pr({ ...scored(9.0), file: other.file }, other, [waived, other]), policy());
    expect(gate.outcome).toBe('fail');
    expect(gate.reasons[1]).toBe(
      `the ${named} was granted for the model at threat-models/payments.yaml in the base; this is the model at threat-models/other.yaml in the base`,
    );
  });

  it('a waiver that names no model of the base covers no new model', () => {
    const gate = gateModel(pr(scored(9.0), null, []), policy());
    expect(gate.outcome).toBe('fail');
    expect(gate.reasons[1]).toBe(`the ${named} names no model of the base; this is a new model`);
  });

  it('covers the same model up to its base score, and not above', () => {
    expect(gateModel(pr(scored(8.1), waived), policy()).outcome).toBe('warn');
    const raised = gateModel(pr(scored(9.8), waived), policy());
    expect(raised.outcome).toBe('fail');
    expect(raised.reasons).toEqual([
      'score 9.8 is at or above fail-on high (7.0)',
      `score 9.8 is above the 8.1 the ${named} was granted for`,
    ]);
  });

  it('covers a model moved to another file, as the comparison pairs it', () => {
    expect(gateModel(pr({ ...scored(8.0), file: 'threat-models/moved.yaml' }, waived), policy()).outcome).toBe('warn');
  });

  it('an explicit max-score replaces the base score, with a base or without', () => {
    expect(gateModel(pr(scored(9.5), waived), policy({ 'max-score': 9.5 })).outcome).toBe('warn');
    expect(gateModel(pr(scored(7.5), waived), policy({ 'max-score': 7 })).reasons[1]).toBe(
      'score 7.5 is above the 7.0 the waiver for payments-agent up to 7.0 by @sec, until 2999-01-01 was granted for',
    );
    expect(gateModel(scored(9.6), policy({ 'max-score': 9.5 })).outcome).toBe('fail');
    expect(gateModel(scored(9.5), policy({ 'max-score': 9.5 })).outcome).toBe('warn');
  });

  it('a waiver granted for a model without a score covers no score', () => {
    const unscoredBase = inBase(model.file, 'payments-agent', null);
    expect(gateModel(pr(unscored, unscoredBase, [unscoredBase]), policy()).outcome).toBe('warn');
    expect(gateModel(pr(scored(8.0), unscoredBase, [unscoredBase]), policy()).reasons[1]).toBe(
      `score 8.0 is above what the ${named} was granted for: the model had no score in the base`,
    );
  });

  it('waives a threat only for a model the waiver covers', () => {
    const layers = [{ id: 'L3' as const, threats: [{ id: 'PAY-1' }, { id: 'PAY-2' }] }];
    const threatWaiver = policy({ threat: 'PAY-1' });
    expect(gateModel(pr({ ...scored(8.1), layers }, waived), threatWaiver).waivedThreats).toEqual([
      { layer: 'L3', threat: 'PAY-1', owner: '@sec', expires: '2999-01-01' },
    ]);
    expect(gateModel(pr({ ...scored(8.1), layers }, null), threatWaiver).waivedThreats).toEqual([]);
  });
});

describe('gateModel on a pull request: a model that loses its score', () => {
  const before = { file: model.file, agentId: model.agentId, status: 'scored', score: 8.1 };
  const lost = (input: GateInput): GateInput => ({ ...input, base: { paired: before, models: [before] } });
  const lenient = config({ 'on-unscored': 'warn', 'on-invalid': 'warn' });

  it('fails as lost, whatever on-unscored and on-invalid say', () => {
    expect(gateModel(lost(unscored), lenient)).toMatchObject({
      outcome: 'fail',
      reasons: ['the model lost its score in this pull request: scored 8.1 in the base, it has no CVSS base now'],
    });
    expect(gateModel(lost(invalid), lenient)).toMatchObject({
      outcome: 'fail',
      reasons: ['the model lost its score in this pull request: scored 8.1 in the base, it is invalid now'],
    });
  });

  it('warns under on-removed: warn', () => {
    expect(gateModel(lost(unscored), config({ 'on-removed': 'warn' })).outcome).toBe('warn');
  });

  it('is not waived by a waiver granted for its score', () => {
    const waived = config({
      'on-unscored': 'warn',
      waivers: [{ model: 'payments-agent', owner: '@sec', reason: 'ok', expires: '2999-01-01' }],
    });
    const gate = gateModel(lost(unscored), waived);
    expect(gate.outcome).toBe('fail');
    expect(gate.reasons[1]).toBe(
      'the waiver for payments-agent by @sec, until 2999-01-01 was granted for a score of at most 8.1, and the model has none now',
    );
  });

  it('an unscored model that was unscored in the base follows on-unscored as before', () => {
    const was = { ...before, status: 'unscored', score: null };
    expect(gateModel({ ...unscored, base: { paired: was, models: [was] } }, lenient).outcome).toBe('warn');
  });
});
