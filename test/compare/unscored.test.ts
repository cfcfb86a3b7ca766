import { describe, expect, it } from 'vitest';
import { diffModels } from '../../src/compare/diff.js';
import { evaluateFile } from '../../src/engine.js';
import { resolveConfig } from '../../src/policy/config.js';
import { buildReport } from '../../src/report/build.js';
import { Report } from '../../src/report/schema.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { SEED_LISTING, replaceOnce } from '../fixtures/index.js';

/**
 * An unscored model has no score delta, so a pull request that changes its factors shows how its factor sum (the
 * agentic risk) moved, in the JSON report, the comment and the terminal.
 */

const config = resolveConfig(null);
const FILE = 'threat-models/micro-agent.txt';
// 4.4 → 4.7: Autonomy of Action 0.70 → 1.00.
const HEAD = replaceOnce(SEED_LISTING, '| Autonomy of Action | 0.70 |', '| Autonomy of Action | 1.00 |');

function compare(base: string, head: string) {
  return buildReport({
    models: [evaluateFile(FILE, head, config.formula)],
    unmatched: [],
    config,
    today: '2026-01-01',
    base: { label: 'main', models: [evaluateFile(FILE, base, config.formula)], policy: { config, changes: [], pendingWaivers: [] } },
  });
}

describe('an unscored listing whose factors change', () => {
  const report = compare(SEED_LISTING, HEAD);
  const model = report.models[0]!;

  it('reports the base and head factor sums and the change in the JSON report', () => {
    expect(Report.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(model).toMatchObject({ status: 'unscored', factorSum: 4.7, delta: null, base: { status: 'unscored', factorSum: 4.4 } });
    expect(model.changes.map((c) => [c.kind, c.message])).toEqual([
      ['factor-sum', 'factor sum 4.4 → 4.7'],
      ['factor', 'Autonomy of Action 0.70 → 1.00'],
    ]);
  });

  it('shows both sums in the comment', () => {
    const body = renderMarkdown(report);
    expect(body).toContain('| factor sum 4\\.4 → 4\\.7 ▲0\\.3 |');
    expect(body).toContain('- factor sum 4\\.4 → 4\\.7');
  });

  it('shows both sums in the terminal', () => {
    const text = renderText(report, { color: false });
    expect(text).toContain('unscored 4.7/10 ▲0.3');
    expect(text).toContain('changed: factor sum 4.4 → 4.7');
  });

  it('shows an unchanged sum as unchanged', () => {
    const same = compare(SEED_LISTING, SEED_LISTING);
    expect(same.models[0]!.changes).toEqual([]);
    expect(renderMarkdown(same)).toContain('| factor sum 4\\.4 = |');
    expect(renderText(same, { color: false })).toMatch(/unscored 4\.4\/10 {2,}/);
  });
});

describe('the factor sum is compared only where no score tells the change', () => {
  const model = {
    file: 'a.yaml',
    status: 'scored',
    score: 6.2,
    factorSum: 3.4,
    cvss: { score: 6, vector: null },
    factors: [],
    threatMultiplier: null,
    mitigationFactor: null,
    layers: [],
  };

  it('a scored model shows its score change, not its sum', () => {
    expect(diffModels(model, { ...model, score: 6.5, factorSum: 4.1 }).map((c) => c.kind)).toEqual(['score']);
  });

  it('a model that lost its score shows both', () => {
    const head = { ...model, status: 'unscored', score: null, cvss: null, factorSum: 3.45 };
    expect(diffModels(model, head).map((c) => c.message)).toEqual([
      'scored → unscored',
      'AIVSS 6.2 → none',
      'factor sum 3.4 → 3.45',
      'CVSS base 6.0 → none',
    ]);
  });
});
