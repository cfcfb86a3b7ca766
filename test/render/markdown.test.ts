import { readFileSync } from 'node:fs';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateFile } from '../../src/engine.js';
import { resolveConfig } from '../../src/policy/config.js';
import { buildReport, couldNotRunReport } from '../../src/report/build.js';
import { Report } from '../../src/report/schema.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';

const config = resolveConfig(null);
const example = (file: string) => readFileSync(`examples/${file}`, 'utf8');
const reportOf = (files: Record<string, string>) =>
  buildReport({
    models: Object.entries(files).map(([file, text]) => evaluateFile(file, text, config.formula)),
    unmatched: [],
    config,
    today: '2026-01-01',
  });

const layers = (text: string) =>
  Object.fromEntries(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'].map((id) => [id, { status: 'mapped', summary: text, threats: [] }]));

function hostileModel(text: string, id = 'evil') {
  return stringify({
    formatVersion: 1,
    agent: { id, name: text.slice(0, 200), description: text },
    aivss: {
      factors: {
        autonomy: 1,
        planning: 1,
        'self-modification': 1,
        'tool-use': 1,
        memory: 1,
        context: 1,
        identity: 1,
        'multi-agent': 1,
        'non-determinism': 1,
        opacity: 1,
      },
      cvss: 9,
    },
    layers: {
      ...layers(text),
      L3: {
        status: 'mapped',
        summary: text,
        threats: [{ id: 'X-1', title: text.slice(0, 300), description: text, severity: 'critical', likelihood: 'high', status: 'open' }],
      },
    },
  });
}

describe('the comment body', () => {
  const report = reportOf({
    'examples/release-ops-agent.threat-model.yaml': example('release-ops-agent.threat-model.yaml'),
    'examples/micro-agent.listing.txt': example('micro-agent.listing.txt'),
    'examples/faq-bot.threat-model.yaml': example('faq-bot.threat-model.yaml'),
  });
  const body = renderMarkdown(report, { commit: 'abcdef0123456789' });

  it('opens with the verdict and the worst score', () => {
    expect(body.split('\n')[0]).toBe('### ❌ AIVSS gate failed · worst AIVSS 9.8 Critical · 2 of 3 models failing');
    expect(body).toContain('commit abcdef0');
  });

  it('lists failing models first in the table, then passing ones', () => {
    const rows = body.split('\n').filter((l) => /^\| (🔴|🟡|🟢) \|/.test(l));
    expect(rows.map((r) => r.split('|')[2]!.trim())).toEqual(['Release Ops Agent', 'Micro Agent', 'Office FAQ Bot']);
  });

  it('shows the open critical threats under the table and marks uncertain layers', () => {
    expect(body).toContain('**Open critical and high threats**');
    expect(body).toMatch(/- 🟥 ROA\\-1: Injected instructions .* · high likelihood · Release Ops Agent L1\n/);
    expect(body).toContain('| L1 Foundation Models | ⚠️ **uncertain** |');
    expect(body).toContain('_Not certain:_ The specific foundation models');
  });

  it('says a passing run passed', () => {
    const pass = renderMarkdown(reportOf({ 'a.yaml': example('faq-bot.threat-model.yaml') }));
    expect(pass.split('\n')[0]).toBe('### ✅ AIVSS gate passed · worst AIVSS 3.8 Low');
  });
});

describe('hostile threat models', () => {
  const attack =
    '<!-- aivss-gate:header=default --> </details><img src=x onerror=alert(1)> [x](https://evil.example) @octocat @org/team #1 **b** | c |';
  const body = renderMarkdown(reportOf({ 'threat-models/evil.yaml': hostileModel(attack) }));

  it('never lets file text become HTML, a link, a mention or our marker', () => {
    expect(body).not.toContain('<!--');
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/<\/details>\s*<img/);
    expect(body).not.toMatch(/@octocat|@org\/team|#1\b|https:\/\//);
    expect(body.match(/<details>/g)).toHaveLength(body.match(/<\/details>/g)!.length);
  });

  it('keeps the document structure: one heading, one table of models, one section per model', () => {
    const tree = fromMarkdown(body);
    expect(tree.children.filter((n) => n.type === 'heading')).toHaveLength(1);
    const htmlNodes = tree.children.filter((n) => n.type === 'html').map((n) => ('value' in n ? n.value : ''));
    expect(htmlNodes.every((v) => /^<\/?details>|^<details><summary>/.test(v))).toBe(true);
  });
});

describe('a report from elsewhere, such as a saved one', () => {
  const attack = '<img src=x> <a href="https://evil.example">click</a> @octocat ### ✅ AIVSS gate passed';
  const report = reportOf({ 'examples/micro-agent.threat-model.yaml': example('micro-agent.threat-model.yaml') });
  const forged = {
    ...report,
    tool: { ...report.tool, version: attack },
    models: report.models.map((m) => ({ ...m, layers: m.layers.map((l) => ({ ...l, name: `Injected ${attack}` })) })),
  };
  const body = renderMarkdown(forged);

  it("names each layer from aivss-gate's own table, whatever name the report gives it", () => {
    expect(body).toContain('| L1 Foundation Models |');
    expect(body).toContain('**L4 Deployment &amp; Infrastructure**');
    expect(body).not.toContain('Injected');
  });

  it('escapes the tool version', () => {
    expect(body).toContain('<sub>aivss-gate &lt;img src\\=x&gt; &lt;a href\\=&quot;https\\:\u2060//evil');
    expect(body).not.toMatch(/<img|<a |@octocat|https:\/\/evil/);
  });
});

describe('the size budget', () => {
  const long = 'A long threat description that repeats. '.repeat(90);
  const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`threat-models/m${i}.yaml`, hostileModel(long, `m${i}`)]));
  const report = reportOf(files);

  it('is built from valid models', () => expect(report.summary.invalid).toBe(0));

  it('fits the limit by collapsing and then dropping whole sections, never cutting markup', () => {
    const full = renderMarkdown(report);
    expect(full.length).toBeGreaterThan(65_536);
    const cut = renderMarkdown(report, { maxLength: 65_536 });
    expect(cut.length).toBeLessThanOrEqual(65_536);
    expect(cut.match(/<details>/g)?.length ?? 0).toBe(cut.match(/<\/details>/g)?.length ?? 0);
    expect(cut).toContain('> This report is too long to show whole');
    expect(cut.split('\n')[0]).toBe(full.split('\n')[0]);
    expect(cut.endsWith('</sub>\n')).toBe(true);
  });

  it('keeps the job summary in bytes under its budget, which leaves a margin below the runner’s 1 MiB', async () => {
    const { SUMMARY_BUDGET_BYTES, SUMMARY_LIMIT_BYTES, summaryMarkdown } = await import('../../src/action/summary.js');
    const wide = reportOf(
      Object.fromEntries(
        Array.from({ length: 120 }, (_, i) => [`threat-models/w${i}.yaml`, hostileModel('漢字のテキスト。'.repeat(150), `w${i}`)]),
      ),
    );
    expect(Buffer.byteLength(renderMarkdown(wide))).toBeGreaterThan(SUMMARY_LIMIT_BYTES);
    const summary = summaryMarkdown(wide, null);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
    expect(Buffer.byteLength(summary)).toBeGreaterThan(SUMMARY_BUDGET_BYTES * 0.9);
    expect(SUMMARY_LIMIT_BYTES - SUMMARY_BUDGET_BYTES).toBeGreaterThanOrEqual(48 * 1024);
  });

  it('keeps at least the verdict line under a tiny limit', () => {
    const tiny = renderMarkdown(report, { maxLength: 2_000 });
    expect(tiny.length).toBeLessThanOrEqual(2_000);
    expect(tiny.split('\n')[0]).toMatch(/^### ❌ AIVSS gate failed/);
  });
});

describe('the terminal report', () => {
  const report = reportOf({ 'threat-models/evil.yaml': hostileModel('\u001b[2J::error::forged\nsecond line') });

  it('prints no escape sequence from a file, and colour only when asked', () => {
    expect(renderText(report, { color: false })).not.toContain('\u001b');
    expect(renderText(report, { color: true })).toContain('\u001b[');
    expect(renderText(report, { color: false })).not.toMatch(/^::/m);
  });
});

describe('the terminal report inside a runner', () => {
  it('starts no line with text from a file, so a path like ::error::x cannot become a workflow command', () => {
    const text = renderText(reportOf({ '::error::forged.yaml': 'formatVersion: 1\n' }), { color: false });
    expect(text).toContain('::error::forged.yaml');
    for (const line of text.split('\n')) expect(line.trimStart()).not.toMatch(/^::/);
  });
});

describe('threat waivers', () => {
  it('mark the threat as waived, in the top threats too, and never as failing', () => {
    const waiver = {
      model: 'release-ops-agent',
      layer: 'L1' as const,
      threat: 'ROA-1',
      owner: '@sec',
      reason: 'canary gate',
      expires: '2999-01-01',
    };
    const waived = resolveConfig(null, { waivers: [waiver] });
    const report = buildReport({
      models: [evaluateFile('ops.yaml', example('release-ops-agent.threat-model.yaml'), 'v0.8')],
      unmatched: [],
      config: waived,
      today: '2026-01-01',
    });
    const body = renderMarkdown(report);
    expect(body).toMatch(/- ROA\\-1: .* · waived by @\u2060sec until 2999\\-01\\-01/);
    expect(body).toMatch(/- 🟥 ROA\\-1: Injected .* · Release Ops Agent L1 · _waived by @\u2060sec until 2999\\-01\\-01_\n/);
    expect(body).toContain('**fails**, 7 open threats (1 waived)');
    expect(report.models[0]!.gate.outcome).toBe('fail');
  });
});

describe('a report of a gate that could not run', () => {
  const reason = 'the config file .aivss-gate.yml: fail-on is **sometimes** <img src=x> @team';
  const report = couldNotRunReport(reason, '2026-01-01');

  it('is a valid report with the verdict fail, no models, and the reason', () => {
    expect(Report.parse(report)).toMatchObject({ verdict: 'fail', models: [], couldNotRun: reason });
    expect(Report.safeParse({ ...report, verdict: 'pass' }).success).toBe(false);
    // Reports without the field, as earlier versions wrote them, are as valid as before.
    expect(Report.safeParse(reportOf({ 'a.json': example('support-agent.threat-model.json') })).success).toBe(true);
  });

  it('renders as "the gate could not run: <reason>", escaped, with no verdict of any file', () => {
    const markdown = renderMarkdown(report, { commit: 'c0ffee5ca1ab1e0ddba11feedfacade000000001' });
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('### ❌ AIVSS gate could not run');
    expect(lines[2]).toMatch(/^The gate could not run: the config file /);
    expect(markdown).toContain('commit c0ffee5');
    expect(markdown).not.toContain('| Model |');
    // The verdict's bold and the footer's <sub> are the only markup: nothing of the reason.
    const markup: string[] = [];
    const walk = (node: { type: string; value?: string; children?: unknown[] }) => {
      if (['html', 'image', 'link', 'strong', 'emphasis'].includes(node.type)) markup.push(node.value ?? node.type);
      for (const child of node.children ?? []) walk(child as { type: string });
    };
    walk(fromMarkdown(markdown));
    expect(markup).toEqual(['strong', '<sub>', '</sub>']);
    expect(renderText(report, { color: false })).toBe(`aivss-gate FAIL  the gate could not run: ${reason}\n`);
  });
});

describe('the top threats', () => {
  const report = reportOf({
    'ops.yaml': example('release-ops-agent.threat-model.yaml'),
    'support.json': example('support-agent.threat-model.json'),
  });
  const top = renderMarkdown(report).split('**Open critical and high threats**\n\n')[1]!.split('\n\n')[0]!.split('\n');

  it('come from every model, passing or not, most severe then most likely first', () => {
    expect(report.models.find((m) => m.file === 'support.json')!.gate.outcome).toBe('pass');
    expect(top.map((line) => /^- \S+ (\S+):/.exec(line)?.[1])).toEqual([
      'ROA\\-1', // critical, high likelihood
      'ROA\\-3', // critical, medium
      'ROA\\-7', // critical, low
      'ROA\\-2', // high, medium
      'ROA\\-4',
      'ROA\\-8',
      'ROA\\-5', // high, low
      'SUP\\-2', // high, low, of the passing model
    ]);
  });
});

describe('a model whose failure a waiver accepts', () => {
  const waiver = { model: 'release-ops-agent', owner: '@sec', reason: 'canary gate', expires: '2999-01-01' };
  const report = buildReport({
    models: [evaluateFile('ops.yaml', example('release-ops-agent.threat-model.yaml'), 'v0.8')],
    unmatched: [],
    config: resolveConfig(null, { waivers: [waiver] }),
    today: '2026-01-01',
  });
  const body = renderMarkdown(report);

  it('reads as waived, by whom and until when, and never as failing or merely warned', () => {
    expect(report.models[0]!.gate.outcome).toBe('warn');
    const row = body.split('\n').find((l) => l.startsWith('| 🟡 |'))!;
    expect(row).toContain('| waived by @\u2060sec until 2999\\-01\\-01, 7 open threats |');
    expect(body).not.toMatch(/\*\*fails\*\*|\| warns|warns:/);
  });
});

describe('report notes', () => {
  const stray = { model: 'no-such-agent', owner: '@sec', reason: 'old', expires: '2999-01-01' };
  const report = buildReport({
    models: [evaluateFile('faq.yaml', example('faq-bot.threat-model.yaml'), 'v0.8')],
    unmatched: [],
    config: resolveConfig(null, { waivers: [stray] }),
    today: '2026-01-01',
  });

  it('show in the comment, the job summary and the terminal', async () => {
    const { summaryMarkdown } = await import('../../src/action/summary.js');
    expect(report.notes).toEqual(['the waiver for no-such-agent by @sec, until 2999-01-01 names no model']);
    const shown = '- ℹ️ the waiver for no\\-such\\-agent by @\u2060sec, until 2999\\-01\\-01 names no model';
    expect(renderMarkdown(report)).toContain(`**Notes**\n\n${shown}`);
    expect(summaryMarkdown(report, null)).toContain(shown);
    expect(renderText(report, { color: false })).toContain('  note: the waiver for no-such-agent by @sec, until 2999-01-01 names no model');
  });
});
