import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { evaluateFile } from '../../src/engine.js';
import { resolveConfig } from '../../src/policy/config.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/schema.js';

/** Every character the renderer joins or templates, counted: the work of building a body, without a clock. */
const work = vi.hoisted(() => ({ characters: 0 }));
vi.mock('../../src/render/escape.js', async (original) => {
  const escape = await original<typeof import('../../src/render/escape.js')>();
  const counted =
    <A extends unknown[]>(f: (...args: A) => string) =>
    (...args: A) => {
      const out = f(...args);
      work.characters += out.length;
      return out;
    };
  return { ...escape, markup: counted(escape.markup), join: counted(escape.join) };
});

const { renderMarkdown } = await import('../../src/render/markdown.js');
const { summaryMarkdown } = await import('../../src/action/summary.js');

const config = resolveConfig(null);
const model = evaluateFile('m.yaml', readFileSync('examples/release-ops-agent.threat-model.yaml', 'utf8'), config.formula);

/** n copies of a failing model with eight open threats. */
function report(n: number): Report {
  const models = Array.from({ length: n }, (_, i) => ({ ...model, file: `threat-models/m${i}.yaml`, agentId: `agent-${i}` }));
  return buildReport({ models, unmatched: [], config, today: '2026-01-01' });
}

function measure(render: () => string): number {
  work.characters = 0;
  render();
  return work.characters;
}

describe('building a body within its budget', () => {
  // The sizes are such that the table fits and the model sections must be collapsed or dropped: the path that
  // recomposed the whole body once per section.
  it('does work linear in the number of models: twice the models, about twice the characters', () => {
    const comment = [60, 120].map((n) => measure(() => renderMarkdown(report(n), { maxLength: 65_536 })));
    expect(comment[1]! / comment[0]!).toBeLessThan(2.3);
    const summary = [300, 600].map((n) => measure(() => summaryMarkdown(report(n), null)));
    expect(summary[1]! / summary[0]!).toBeLessThan(2.3);
  });
});
