import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffModels, scoreDelta, type Comparable } from '../../src/compare/diff.js';
import { matchModels } from '../../src/compare/match.js';
import { Config, resolveConfig, threshold, type ConfigInput } from '../../src/policy/config.js';
import { gateModel, type GateInput } from '../../src/policy/gate.js';
import { strictest } from '../../src/policy/strictest.js';

const m = (file: string, agentId: string | null) => ({ file, agentId });

describe('matchModels', () => {
  it('pairs a moved file by its agent id, so it is the same model', () => {
    const pairs = matchModels([m('a.yaml', 'a'), m('b.yaml', 'b')], [m('moved/a.yaml', 'a'), m('b.yaml', 'b')]);
    expect(pairs).toEqual([
      { base: m('a.yaml', 'a'), head: m('moved/a.yaml', 'a') },
      { base: m('b.yaml', 'b'), head: m('b.yaml', 'b') },
    ]);
  });

  it('pairs by path first: a new file that takes the agent id of a file still there is a new model', () => {
    const pairs = matchModels([m('a.yaml', 'bot')], [m('a.yaml', 'bot-old'), m('b.yaml', 'bot')]);
    expect(pairs).toEqual([
      { base: m('a.yaml', 'bot'), head: m('a.yaml', 'bot-old') },
      { base: null, head: m('b.yaml', 'bot') },
    ]);
  });

  it('pairs two files that swap agent ids by path', () => {
    const pairs = matchModels([m('a.yaml', 'x'), m('b.yaml', 'y')], [m('a.yaml', 'y'), m('b.yaml', 'x')]);
    expect(pairs.map((p) => [p.base?.file, p.head?.file])).toEqual([
      ['a.yaml', 'a.yaml'],
      ['b.yaml', 'b.yaml'],
    ]);
  });

  it('falls back to the path for files without an id and for ids used twice', () => {
    const base = [m('broken.yaml', null), m('x.yaml', 'dup'), m('y.yaml', 'dup')];
    const head = [m('broken.yaml', null), m('x.yaml', 'dup'), m('y.yaml', 'dup')];
    expect(matchModels(base, head).map((p) => [p.base?.file, p.head?.file])).toEqual([
      ['broken.yaml', 'broken.yaml'],
      ['x.yaml', 'x.yaml'],
      ['y.yaml', 'y.yaml'],
    ]);
  });

  it('reports added and removed models', () => {
    const pairs = matchModels([m('gone.yaml', 'gone')], [m('new.yaml', 'new')]);
    expect(pairs).toEqual([
      { base: null, head: m('new.yaml', 'new') },
      { base: m('gone.yaml', 'gone'), head: null },
    ]);
  });

  it('pairs every model exactly once', () => {
    const side = fc
      .array(fc.record({ file: fc.constantFrom('a', 'b', 'c', 'd', 'e'), agentId: fc.option(fc.constantFrom('x', 'y', 'z')) }), {
        maxLength: 6,
      })
      .map((ms) => ms.filter((v, i) => ms.findIndex((w) => w.file === v.file) === i));
    fc.assert(
      fc.property(side, side, (base, head) => {
        const pairs = matchModels(base, head);
        const files = (ms: { file: string }[]) => ms.map((x) => x.file).sort();
        expect(files(pairs.flatMap((p) => (p.base ? [p.base] : [])))).toEqual(files(base));
        expect(files(pairs.flatMap((p) => (p.head ? [p.head] : [])))).toEqual(files(head));
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

const model = (overrides: Partial<Comparable> = {}): Comparable => ({
  file: 'a.yaml',
  status: 'scored',
  score: 8.1,
  factorSum: 0.5,
  cvss: { score: 7.0, vector: null },
  factors: [{ id: 'autonomy', name: 'Autonomy of Action', value: 0.5 }],
  threatMultiplier: { value: 0.97 },
  mitigationFactor: { value: 1 },
  layers: [
    { id: 'L1', status: 'mapped', summary: 'models', threats: [{ id: 'T-1', title: 'Injection', status: 'open' }] },
    { id: 'L2', status: 'uncertain', summary: 'data', threats: [{ id: 'T-2', title: 'Poisoning', status: 'open' }] },
  ],
  ...overrides,
});

describe('diffModels', () => {
  it('finds nothing between identical models', () => expect(diffModels(model(), model())).toEqual([]));

  it('names every change of inputs, layers and threats', () => {
    const head = model({
      file: 'b.yaml',
      score: 9.2,
      factorSum: 1,
      cvss: { score: 8.0, vector: null },
      factors: [{ id: 'autonomy', name: 'Autonomy of Action', value: 1 }],
      threatMultiplier: { value: 1 },
      mitigationFactor: { value: 0.83 },
      layers: [
        {
          id: 'L1',
          status: 'mapped',
          summary: 'models',
          threats: [
            { id: 'T-1', title: 'Injection', status: 'mitigated' },
            { id: 'T-3', title: 'New', status: 'open' },
          ],
        },
        { id: 'L2', status: 'mapped', summary: 'data', threats: [{ id: 'T-4', title: 'Exfiltration', status: 'open' }] },
      ],
    });
    expect(diffModels(model(), head).map((c) => [c.kind, c.message])).toEqual([
      ['renamed', 'renamed from a.yaml'],
      ['score', 'AIVSS 8.1 → 9.2'],
      ['cvss', 'CVSS base 7.0 → 8.0'],
      ['factor', 'Autonomy of Action 0.50 → 1.00'],
      ['threat-multiplier', 'threat multiplier 0.97 → 1.00'],
      ['mitigation-factor', 'mitigation factor 1.00 → 0.83'],
      ['threat-status', 'L1 threat T-1 open → mitigated: Injection'],
      ['threat-added', 'L1 threat T-3 added: New'],
      ['layer-status', 'L2 uncertain → mapped'],
      ['threat-removed', 'L2 threat T-2 removed: Poisoning'],
      ['threat-added', 'L2 threat T-4 added: Exfiltration'],
    ]);
  });

  it('calls a layer emptied when its threats and summary are gone or it turned not-applicable', () => {
    const emptied = model({ layers: [model().layers[0]!, { id: 'L2', status: 'not-applicable', summary: '', threats: [] }] });
    expect(diffModels(model(), emptied)).toEqual([
      { kind: 'layer-emptied', message: 'L2 emptied: 1 threat and its summary are gone', layer: 'L2', threat: null },
    ]);
  });

  it('calls a layer emptied when it loses every threat, even if its summary stays', () => {
    const kept = model({ layers: [model().layers[0]!, { ...model().layers[1]!, threats: [] }] });
    expect(diffModels(model(), kept)).toEqual([
      { kind: 'layer-emptied', message: 'L2 emptied: 1 threat is gone', layer: 'L2', threat: null },
    ]);
  });

  it('does not call a layer emptied while it keeps a threat, or when it had none', () => {
    const oneLeft = model({
      layers: [model().layers[0]!, { ...model().layers[1]!, threats: [{ id: 'T-9', title: 'Other', status: 'open' }] }],
    });
    expect(diffModels(model(), oneLeft).map((c) => c.kind)).toEqual(['threat-removed', 'threat-added']);
    const summaryOnly = model({ layers: [{ id: 'L1', status: 'mapped', summary: 'models', threats: [] }] });
    expect(diffModels(summaryOnly, summaryOnly)).toEqual([]);
  });

  it('computes deltas in tenths', () => {
    expect(scoreDelta(8.1, 9.2)).toBe(1.1);
    expect(scoreDelta(9.2, 8.1)).toBe(-1.1);
    expect(scoreDelta(null, 9.2)).toBeNull();
  });
});

const configArb: fc.Arbitrary<Config> = fc
  .record({
    'fail-on': fc.oneof(
      fc.constantFrom('critical', 'high', 'medium', 'low'),
      fc.integer({ min: 1, max: 100 }).map((n) => n / 10),
    ),
    'on-unscored': fc.constantFrom('fail', 'warn'),
    'on-invalid': fc.constantFrom('fail', 'warn'),
    'on-removed': fc.constantFrom('fail', 'warn'),
    'warn-only': fc.boolean(),
    formula: fc.constantFrom('v0.8', 'v0.5'),
    include: fc.uniqueArray(fc.constantFrom('threat-models/**', 'models/**', '**/*.tm.yaml'), { minLength: 1 }),
    exclude: fc.uniqueArray(fc.constantFrom('**/README.md', 'threat-models/drafts/**', '**/*.txt')),
    waivers: fc.uniqueArray(
      fc.record({
        model: fc.constantFrom('a', 'b'),
        owner: fc.constantFrom('@sec', '@ops'),
        reason: fc.constant('accepted'),
        expires: fc.constantFrom('2026-01-01', '2027-01-01'),
        'max-score': fc.option(fc.constantFrom(5, 8.1, 10), { nil: undefined }),
      }),
      { selector: (w) => JSON.stringify(w) },
    ),
  })
  .map((input) => Config.parse(input satisfies ConfigInput));

describe('strictest: a pull request cannot loosen the policy it is judged by', () => {
  it('never yields a policy looser than the base, whatever the head config says', () => {
    fc.assert(
      fc.property(configArb, configArb, (base, head) => {
        const { config } = strictest(base, head);
        expect(threshold(config['fail-on'])).toBeLessThanOrEqual(threshold(base['fail-on']));
        for (const key of ['on-unscored', 'on-invalid', 'on-removed'] as const) if (base[key] === 'fail') expect(config[key]).toBe('fail');
        if (!base['warn-only']) expect(config['warn-only']).toBe(false);
        expect(config.include).toEqual(expect.arrayContaining(base.include));
        for (const pattern of config.exclude) expect(base.exclude).toContain(pattern);
        for (const waiver of config.waivers) expect(base.waivers).toContainEqual(waiver);
        expect(config.formula).toBe(base.formula);
        expect(config.limits).toEqual(base.limits);
      }),
      { seed: 5, numRuns: 1000 },
    );
  });

  const modelArb: fc.Arbitrary<GateInput> = fc.record({
    file: fc.constantFrom('a', 'c'),
    agentId: fc.constantFrom('a', 'b', null),
    status: fc.constantFrom('scored', 'unscored', 'invalid', 'removed'),
    score: fc.option(fc.integer({ min: 0, max: 100 }).map((n) => n / 10)),
    severity: fc.constant(null),
    emptiedLayers: fc.constantFrom([], ['L3'] as const),
    base: fc.option(
      fc.record({
        paired: fc.option(
          fc.record({
            file: fc.constantFrom('a', 'c'),
            agentId: fc.constantFrom('a', 'b'),
            status: fc.constant('scored'),
            score: fc.constantFrom(3, 8.1, 9.5),
          }),
        ),
        models: fc.constant([]),
      }),
      { nil: undefined },
    ),
  });
  const rank = { pass: 0, warn: 1, fail: 2 } as const;

  it('never judges a model more leniently than the base policy would, max-scores of new waivers included', () => {
    fc.assert(
      fc.property(configArb, configArb, modelArb, (base, head, model) => {
        // Before every expiry: withdrawing an expired waiver is how one clears its failure.
        const judged = (config: Config) => rank[gateModel(model, config, '2025-06-01').outcome];
        expect(judged(strictest(base, head).config)).toBeGreaterThanOrEqual(judged(base));
      }),
      { seed: 6, numRuns: 2000 },
    );
  });

  it('applies a tightening at once and names a loosening as pending', () => {
    const base = resolveConfig(null, { 'fail-on': 'high' });
    expect(strictest(base, resolveConfig(null, { 'fail-on': 'medium' })).config['fail-on']).toBe('medium');
    const loosened = strictest(base, resolveConfig(null, { 'fail-on': 'critical', 'on-unscored': 'warn' }));
    expect(loosened.config['fail-on']).toBe('high');
    expect(loosened.config['on-unscored']).toBe('fail');
    expect(loosened.changes).toEqual([
      { key: 'fail-on', effect: 'loosened', message: 'fail-on high → critical' },
      { key: 'on-unscored', effect: 'loosened', message: 'on-unscored fail → warn' },
    ]);
  });

  it('holds back a raised max-score: the changed waiver is new, and the base one is withdrawn', () => {
    const waiver = { model: 'a', owner: '@sec', reason: 'accepted', expires: '2027-01-01', 'max-score': 8 };
    const result = strictest(
      resolveConfig(null, { waivers: [waiver] }),
      resolveConfig(null, { waivers: [{ ...waiver, 'max-score': 10 }] }),
    );
    expect(result.config.waivers).toEqual([]);
    expect(result.pendingWaivers).toEqual([{ ...waiver, 'max-score': 10 }]);
  });

  it('holds back waivers the pull request adds', () => {
    const waiver = { model: 'a', owner: '@sec', reason: 'accepted', expires: '2027-01-01' };
    const result = strictest(resolveConfig(null), resolveConfig(null, { waivers: [waiver] }));
    expect(result.config.waivers).toEqual([]);
    expect(result.pendingWaivers).toEqual([waiver]);
  });
});

describe('waivers in the gate', () => {
  const failing: GateInput = { file: 'threat-models/a.yaml', agentId: 'a', status: 'scored', score: 9.1, severity: 'critical' };
  const waiver = { model: 'a', owner: '@sec', reason: 'compensating controls', expires: '2026-12-31' };
  const config = (waivers: ConfigInput['waivers']) => resolveConfig(null, { waivers });

  it('turns a failure into a warning until the waiver expires, the expiry day included', () => {
    for (const today of ['2026-06-01', '2026-12-31']) {
      const gate = gateModel(failing, config([waiver]), today);
      expect(gate.outcome).toBe('warn');
      expect(gate.reasons[0]).toContain('accepted by the waiver for a by @sec, until 2026-12-31: compensating controls');
    }
  });

  it('fails, naming the waiver, once it has expired, even when the score is fine', () => {
    const gate = gateModel({ ...failing, score: 1.0, severity: 'low' }, config([waiver]), '2027-01-01');
    expect(gate.outcome).toBe('fail');
    expect(gate.reasons).toEqual(['the waiver for a by @sec, until 2026-12-31 has expired: renew it or fix the risk']);
  });

  it('matches by file path too, and a layer waiver covers only that layer', () => {
    expect(gateModel(failing, config([{ ...waiver, model: 'threat-models/a.yaml' }]), '2026-06-01').outcome).toBe('warn');
    const emptied = { ...failing, score: 1.0, emptiedLayers: ['L3', 'L4'] as const };
    const gate = gateModel({ ...emptied, emptiedLayers: [...emptied.emptiedLayers] }, config([{ ...waiver, layer: 'L3' }]), '2026-06-01');
    expect(gate.outcome).toBe('fail');
    expect(gate.reasons).toEqual([
      'layer L3 was emptied in this pull request, accepted by the waiver for a L3 by @sec, until 2026-12-31: compensating controls',
      'layer L4 was emptied in this pull request',
    ]);
  });
});
