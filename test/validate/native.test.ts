import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/parse/yaml.js';
import type { Problem } from '../../src/spec/problem.js';
import type { ModelReport } from '../../src/report/schema.js';
import { TAG_PATTERN } from '../../src/validate/schema.js';
import {
  VALID_MODEL,
  VALID_MODEL_YAML,
  errorText,
  evaluate,
  insertAfter,
  lineOf,
  removeLine,
  replaceOnce,
  validModelData,
} from '../fixtures/index.js';

const YAML = VALID_MODEL_YAML;
const at = (needle: string, text = YAML) => lineOf(text, needle);
const json = (data: unknown = validModelData()) => JSON.stringify(data, null, 2);

/** The report is invalid and has a problem on `line` whose message matches `pattern`. */
function expectError(report: ModelReport, line: number | null, pattern: RegExp | string): void {
  expect(report.status, errorText(report)).toBe('invalid');
  expectProblem(report.errors, line, pattern);
}

function expectProblem(problems: readonly Problem[], line: number | null, pattern: RegExp | string): void {
  const matches = (m: string) => (typeof pattern === 'string' ? m.includes(pattern) : pattern.test(m));
  const hit = problems.find((p) => p.line === line && matches(p.message));
  expect(hit, `no problem at line ${line} matching ${String(pattern)} in\n${JSON.stringify(problems, null, 1)}`).toBeDefined();
}

describe('a full valid native model', () => {
  it('is read, validated and scored', () => {
    const report = evaluate(YAML);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report).toMatchObject({
      format: 'native',
      status: 'scored',
      agentId: 'payments-agent',
      name: 'Payments Agent',
      description: 'Moves money between customer accounts on request.',
      score: VALID_MODEL.score,
      severity: VALID_MODEL.severity,
      factorSum: VALID_MODEL.factorSum,
      cvss: { score: VALID_MODEL.cvss, vector: null },
      threatMultiplier: { value: 0.97, label: 'poc', onTable: true, source: 'model' },
      mitigationFactor: { value: 1, label: 'none', onTable: true, source: 'model' },
      declaredScore: null,
      gate: { outcome: 'fail' },
    });
    expect(report.factors).toHaveLength(10);
    expect(report.layers.map((l) => [l.id, l.status])).toEqual([
      ['L1', 'mapped'],
      ['L2', 'mapped'],
      ['L3', 'mapped'],
      ['L4', 'uncertain'],
      ['L5', 'mapped'],
      ['L6', 'mapped'],
      ['L7', 'not-applicable'],
    ]);
    expect(report.layers[0]!.threats[0]).toEqual({
      line: YAML.split('\n').findIndex((l) => l.includes('- id: prompt-injection')) + 1,
      id: 'prompt-injection',
      title: 'Prompt injection through payee names',
      severity: 'high',
      likelihood: 'medium',
      status: 'open',
      tags: ['T6', 'ASI01', 'AML.T0051'],
      mitigations: [{ title: 'Strip instructions from payee names', status: 'in-progress' }],
    });
    expect(report.layers[6]).toMatchObject({ summary: '', threats: [] });
  });

  it('passes the gate when fail-on is above its score', () => {
    expect(evaluate(YAML, { 'fail-on': 9.5 }).gate).toEqual({ outcome: 'pass', reasons: [], waivers: [], waivedThreats: [] });
  });

  it('reads the same model from JSON, pretty or on one line', () => {
    // Threats carry the line they start on, which differs from one form to the other.
    const model = (text: string) => {
      const report = evaluate(text);
      return { ...report, layers: report.layers.map((l) => ({ ...l, threats: l.threats.map(({ line: _, ...t }) => t) })) };
    };
    const fromYaml = model(YAML);
    expect(model(json())).toEqual(fromYaml);
    expect(model(JSON.stringify(validModelData()))).toEqual(fromYaml);
  });

  it('accepts layer names and aliases as keys, and an optional cross-layer entry', () => {
    const text = [
      ['  L1:', '  Foundation Models:'],
      ['  L4:', '  Deployment and Infrastructure:'],
      ['  L7:', '  agent-ecosystem:'],
    ].reduce((t, [from, to]) => replaceOnce(t, from!, to!), YAML);
    const report = evaluate(`${text}  Cross-layer:\n    status: mapped\n    summary: Stolen tokens travel between layers.\n`);
    expect(errorText(report)).toBe('');
    expect(report.layers.map((l) => l.id)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'CL']);
  });

  it('scores under the v0.5 formula when the policy says so', () => {
    // ((8.7 + 5.5) / 2) * 0.97 = 6.887
    const report = evaluate(YAML, { formula: 'v0.5' });
    expect(report.score).toBe(6.9);
    expect(report.uplift).toBeNull();
  });
});

describe('errors name the 1-based line', () => {
  it('an unknown key in a map', () => {
    const text = insertAfter(YAML, 'name: Payments Agent', '  owner: team-payments');
    expectError(evaluate(text), at('owner:', text), /agent\.owner: .*owner/);
  });

  it('an unknown top-level key', () => {
    const text = `${YAML}extra: 1\n`;
    expectError(evaluate(text), at('extra: 1', text), /extra/);
  });

  it('an unknown key in a threat', () => {
    const text = insertAfter(YAML, 'likelihood: medium', '        impact: high');
    expectError(evaluate(text), at('impact: high', text), /layers\.L1\.threats\.0\.impact/);
  });

  it('a factor value above 1', () => {
    const text = replaceOnce(YAML, 'Self-Modification: 0.2', 'Self-Modification: 1.5');
    expectError(evaluate(text), at('Self-Modification'), 'aivss.factors.Self-Modification: 1.5 is too large: a factor is at most 1');
  });

  it('a factor value that is a string', () => {
    const text = replaceOnce(YAML, 'Dynamic Identity: 0.3', 'Dynamic Identity: "0.3"');
    expectError(evaluate(text), at('Dynamic Identity'), /aivss\.factors\.Dynamic Identity/);
  });

  it('a factor value of -0', () => {
    const text = replaceOnce(YAML, 'Dynamic Identity: 0.3', 'Dynamic Identity: -0.0');
    expectError(evaluate(text), at('Dynamic Identity'), 'aivss.factors.Dynamic Identity: -0 (negative zero) is not a valid value: write 0');
  });

  it.each(['.nan', '.inf', '-.inf'])('a factor value of %s', (value) => {
    const text = replaceOnce(YAML, 'Dynamic Identity: 0.3', `Dynamic Identity: ${value}`);
    expectError(evaluate(text), at('Dynamic Identity'), /aivss\.factors\.Dynamic Identity/);
  });

  it('an unknown factor', () => {
    const text = replaceOnce(YAML, 'Dynamic Identity: 0.3', 'Dynamic Identities: 0.3');
    const report = evaluate(text);
    expectError(report, at('Dynamic Identities', text), 'unknown factor "Dynamic Identities" (did you mean "Dynamic Identity"?)');
    // The suggestion names the missing factor: no second message about it.
    expect(report.errors).toHaveLength(1);
  });

  it('a bad tag, on the line of the tag list', () => {
    const text = replaceOnce(YAML, '[T6, ASI01, AML.T0051]', '[T6, T18]');
    expectError(evaluate(text), at('tags:'), 'layers.L1.threats.0.tags.1: "T18" is not a known tag: a tag is');
  });

  it('a bad tag in a block list, on the line of the item', () => {
    const text = replaceOnce(YAML, 'tags: [T6, ASI01, AML.T0051]', 'tags:\n          - T6\n          - ASI11\n          - AML.T0051');
    expectError(evaluate(text), at('- ASI11', text), /tags\.1/);
  });

  it('a value outside an enum', () => {
    const text = replaceOnce(YAML, 'severity: high', 'severity: extreme');
    expectError(evaluate(text), at('severity: high'), /layers\.L1\.threats\.0\.severity/);
  });

  it('a missing required field, on its parent', () => {
    const text = removeLine(YAML, 'name: Payments Agent');
    expectError(evaluate(text), at('agent:'), /agent\.name/);
  });

  it('a wrong format version', () => {
    expectError(evaluate(replaceOnce(YAML, 'formatVersion: 1', 'formatVersion: 2')), 1, /formatVersion/);
  });

  it('a CVSS 3.1 vector, explaining that v4.0 is needed', () => {
    const text = replaceOnce(YAML, 'cvss: 8.7', "cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'");
    expectError(evaluate(text), at('cvss:'), /aivss\.cvss: .*v4\.0/);
  });

  it('a malformed CVSS v4.0 vector', () => {
    const text = replaceOnce(YAML, 'cvss: 8.7', "cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/SA:N'");
    expectError(evaluate(text), at('cvss:'), /not a valid CVSS v4\.0 vector/);
  });

  it('a CVSS number out of range', () => {
    expectError(evaluate(replaceOnce(YAML, 'cvss: 8.7', 'cvss: 11')), at('cvss:'), /aivss\.cvss/);
  });

  it.each([
    ['threatMultiplier: poc', 'threatMultiplier: 0'],
    ['threatMultiplier: poc', 'threatMultiplier: likely'],
    ['mitigationFactor: none', 'mitigationFactor: 1.5'],
    ['mitigationFactor: none', 'mitigationFactor: 0'],
    ['mitigationFactor: none', 'mitigationFactor: low'],
  ])('a bad multiplier (%s -> %s)', (from, to) => {
    expectError(evaluate(replaceOnce(YAML, from, to)), at(from), new RegExp(`aivss\\.${from.split(':')[0]}`));
  });

  it('a YAML syntax error', () => {
    const text = replaceOnce(YAML, 'tags: [T6, ASI01, AML.T0051]', 'tags: [T6, ASI01');
    const report = evaluate(text);
    expect(report.status).toBe('invalid');
    expect(report.errors.length).toBeGreaterThan(0);
    // The parser notices the unclosed list on its line or the next one; either way the error has a line.
    for (const error of report.errors) expect([at('tags:'), at('tags:') + 1]).toContain(error.line);
  });
});

describe('YAML features refused for untrusted input', () => {
  it('anchors and aliases', () => {
    let text = replaceOnce(YAML, 'Self-Modification: 0.2', 'Self-Modification: &low 0.2');
    text = replaceOnce(text, 'Dynamic Identity: 0.3', 'Dynamic Identity: *low');
    const report = evaluate(text);
    expectError(report, at('&low', text), /anchors/);
    expectError(report, at('*low', text), /aliases/);
  });

  it.each([
    ['a core tag on a scalar', 'cvss: 8.7', 'cvss: !!float 8.7', 'cvss:'],
    ['a local tag', 'cvss: 8.7', 'cvss: !env CVSS', 'cvss:'],
    ['a tag on a map', 'agent:', 'agent: !!map', 'agent:'],
  ])('explicit tags (%s)', (_what, from, to, lineNeedle) => {
    const text = replaceOnce(YAML, from, to);
    expectError(evaluate(text), at(lineNeedle, text), /YAML tags/);
  });

  it('merge keys', () => {
    const text = insertAfter(YAML, 'agent:', '  <<: {name: Other Agent}');
    expectError(evaluate(text), at('<<', text), /"<<"/);
  });

  it('merge keys that pull in an anchor', () => {
    const text = insertAfter(replaceOnce(YAML, '  L2:\n', '  L2: &mapped\n'), '  L3:', '    <<: *mapped');
    const report = evaluate(text);
    expectError(report, at('<<', text), /"<<"/);
    expectError(report, at('&mapped', text), /anchors/);
  });

  it('duplicate keys in YAML, on the line of the repeat', () => {
    const text = insertAfter(YAML, 'cvss: 8.7', '  cvss: 9.9');
    expectError(evaluate(text), at('cvss: 9.9', text), /unique/);
  });

  it('duplicate keys in JSON, on the line of the repeat', () => {
    const text = replaceOnce(json(), '"cvss": 8.7,', '"cvss": 8.7,\n    "cvss": 9.9,');
    expectError(evaluate(text), at('"cvss": 9.9', text), /unique/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('the key %s, in YAML and in JSON', (key) => {
    const yamlText = insertAfter(YAML, 'name: Payments Agent', `  ${key}: {polluted: true}`);
    expectError(evaluate(yamlText), at(key, yamlText), `the key "${key}" is not accepted`);
    const jsonText = replaceOnce(json(), '"id": "payments-agent",', `"id": "payments-agent",\n    "${key}": {"polluted": true},`);
    expectError(evaluate(jsonText), at(key, jsonText), `the key "${key}" is not accepted`);
    // Refused by the parser itself, before any schema sees the data: even where any key is allowed.
    expect(parseYaml(`a:\n  ${key}:\n    polluted: true\n`)).toEqual({
      ok: false,
      format: 'native',
      problems: [{ line: 2, message: `the key "${key}" is not accepted` }],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a quoted __proto__ key', () => {
    const text = insertAfter(YAML, 'name: Payments Agent', `  "__proto__": 1`);
    expectError(evaluate(text), at('__proto__', text), 'the key "__proto__" is not accepted');
  });

  it('several YAML documents, at the second one', () => {
    const text = `${YAML}---\n${YAML}`;
    expectError(evaluate(text), at('---', text), /one YAML document/);
  });

  it('non-string map keys', () => {
    const text = insertAfter(YAML, 'name: Payments Agent', '  ? [a, b]\n  : 1');
    expectError(evaluate(text), at('? [a, b]', text), /plain strings/);
  });

  it('an empty file and a comment-only file', () => {
    expectError(evaluate(''), null, /empty/);
    expectError(evaluate('# nothing here\n'), null, /empty/);
  });

  it.each([
    ['a list', '- formatVersion: 1\n'],
    ['a scalar', 'hello\n'],
    ['a number', '42\n'],
  ])('a document that is not a map (%s)', (_what, text) => {
    expectError(evaluate(text), 1, /not a threat model/);
  });
});

describe('layers', () => {
  it('refuses missing layers, naming each, on the layers line', () => {
    const start = at('  L5:');
    const lines = YAML.split('\n');
    const text = [...lines.slice(0, start - 1), '  L7:', '    status: not-applicable', ''].join('\n');
    const report = evaluate(text);
    expectError(report, at('layers:'), /missing layers L5 \(Evaluation & Observability\), L6 \(Security & Compliance\)/);
  });

  it('refuses an unknown layer on its line', () => {
    const text = `${YAML}  L8:\n    status: mapped\n`;
    expectError(evaluate(text), at('L8:', text), /unknown layer "L8"/);
  });

  it('refuses one layer given twice under two names', () => {
    const text = `${YAML}  Foundation Model:\n    status: mapped\n`;
    expectError(evaluate(text), at('Foundation Model:', text), /repeats "L1"/);
  });

  it('refuses a threat id used twice in a layer', () => {
    const threat = YAML.slice(YAML.indexOf('      - id: prompt-injection'), YAML.indexOf('  L2:'));
    const text = replaceOnce(YAML, '  L2:', `${threat}  L2:`);
    const second = text.split('\n').findLastIndex((l) => l.includes('id: prompt-injection')) + 1;
    expectError(
      evaluate(text),
      second,
      'threat id "prompt-injection" is already used by layers.L1.threats.0; threat ids are unique within a file',
    );
  });

  it('refuses a bad layer status', () => {
    const text = replaceOnce(YAML, 'status: uncertain', 'status: unknown');
    expectError(evaluate(text), at('status: uncertain'), /layers\.L4\.status/);
  });
});

describe('threat tags', () => {
  const withTags = (tags: string) => replaceOnce(YAML, '[T6, ASI01, AML.T0051]', tags);

  it.each(['T1', 'T9', 'T10', 'T17', 'ASI01', 'ASI09', 'ASI10', 'AML.T0051', 'AML.T0051.001', 'AML.T0000'])('accepts %s', (tag) => {
    expect(TAG_PATTERN.test(tag)).toBe(true);
    const report = evaluate(withTags(`["${tag}"]`));
    expect(errorText(report)).toBe('');
    expect(report.layers[0]!.threats[0]!.tags).toEqual([tag]);
  });

  it.each([
    'T0',
    'T18',
    'T01',
    'T1.1',
    't1',
    'ASI00',
    'ASI11',
    'ASI1',
    'asi01',
    'AML.T51',
    'AML.T00510',
    'AML.T0051.1',
    'AML.T0051.0001',
    'aml.t0051',
    'AMLT0051',
    ' T1',
    'T1 ',
    'ASI01\n',
  ])('refuses %j on the tags line', (tag) => {
    expect(TAG_PATTERN.test(tag)).toBe(false);
    expectError(evaluate(withTags(`[${JSON.stringify(tag)}]`)), at('tags:'), /a tag is/);
  });
});

describe('scoring inputs and warnings', () => {
  const VECTOR = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

  it('warns, on its line, when the declared score differs from the computed one', () => {
    const text = insertAfter(YAML, 'mitigationFactor: none', '  declaredScore: 9.0');
    const report = evaluate(text);
    expect(report.status).toBe('scored');
    expect(report.score).toBe(9.4);
    expect(report.declaredScore).toBe(9);
    expect(report.warnings).toEqual([{ line: at('declaredScore', text), message: 'the declared score 9.0 differs from the computed 9.4' }]);
  });

  it('does not warn when the declared score is the computed one', () => {
    const report = evaluate(insertAfter(YAML, 'mitigationFactor: none', '  declaredScore: 9.4'));
    expect(report.warnings).toEqual([]);
  });

  it("takes the threat multiplier from the vector's E: when the model sets none", () => {
    const text = replaceOnce(removeLine(YAML, 'threatMultiplier: poc'), 'cvss: 8.7', `cvss: '${VECTOR}/E:U'`);
    const report = evaluate(text);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.threatMultiplier).toEqual({ value: 0.5, label: 'unreported', onTable: true, source: 'cvss-vector' });
    // The base-only score is used (9.3), not the full vector's score: E: counts once, as ThM.
    expect(report.cvss).toEqual({ score: 9.3, vector: `${VECTOR}/E:U` });
    // 9.3 + 0.7 * 0.55 * 0.5 = 9.4925
    expect(report.score).toBe(9.5);
  });

  it('uses the v0.5 value for E:U under the v0.5 formula', () => {
    const text = replaceOnce(removeLine(YAML, 'threatMultiplier: poc'), 'cvss: 8.7', `cvss: '${VECTOR}/E:U'`);
    expect(evaluate(text, { formula: 'v0.5' }).threatMultiplier).toMatchObject({ value: 0.91, label: 'unreported', source: 'cvss-vector' });
  });

  it('warns, on its line, when an explicit threat multiplier disagrees with E:, and uses the multiplier', () => {
    const text = replaceOnce(
      replaceOnce(YAML, 'cvss: 8.7', `cvss: '${VECTOR}/E:A'`),
      'threatMultiplier: poc',
      'threatMultiplier: unreported',
    );
    const report = evaluate(text);
    expect(report.threatMultiplier).toMatchObject({ value: 0.5, label: 'unreported', source: 'model' });
    expect(report.warnings).toHaveLength(1);
    expectProblem(report.warnings, at('threatMultiplier'), /disagrees with the CVSS vector's E:A/);
  });

  it('does not warn when an explicit threat multiplier agrees with E:', () => {
    const report = evaluate(replaceOnce(YAML, 'cvss: 8.7', `cvss: '${VECTOR}/E:P'`));
    expect(report.warnings).toEqual([]);
    expect(report.threatMultiplier).toMatchObject({ label: 'poc', source: 'model' });
  });

  it('keeps the default multiplier for E:X', () => {
    const text = replaceOnce(removeLine(YAML, 'threatMultiplier: poc'), 'cvss: 8.7', `cvss: '${VECTOR}/E:X'`);
    expect(evaluate(text).threatMultiplier).toMatchObject({ value: 0.97, source: 'default' });
  });

  it('warns, on their lines, about multipliers off the table', () => {
    const text = replaceOnce(
      replaceOnce(YAML, 'threatMultiplier: poc', 'threatMultiplier: 1.05'),
      'mitigationFactor: none',
      'mitigationFactor: 0.7',
    );
    const report = evaluate(text);
    expect(report.status).toBe('scored');
    expectProblem(report.warnings, at('threatMultiplier'), /off the spec's table/);
    expectProblem(report.warnings, at('mitigationFactor'), /off the spec's table/);
  });

  it('reports a model without a CVSS base as unscored, with its factor sum and no score', () => {
    const report = evaluate(removeLine(YAML, 'cvss: 8.7'));
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ status: 'unscored', score: null, severity: null, cvss: null, uplift: null, factorSum: 5.5 });
    expect(report.gate.outcome).toBe('fail');
    expect(evaluate(removeLine(YAML, 'cvss: 8.7'), { 'on-unscored': 'warn' }).gate.outcome).toBe('warn');
  });
});

describe('parseYaml', () => {
  it('maps paths to the line of their key, and list items to their line', () => {
    const result = parseYaml(YAML);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { lineOf: lineOfPath } = result.parsed;
    expect(lineOfPath([])).toBe(1);
    expect(lineOfPath(['aivss', 'factors', 'Opacity & Reflexivity'])).toBe(at('Opacity & Reflexivity'));
    expect(lineOfPath(['layers', 'L1', 'threats', 0, 'mitigations', 0, 'status'])).toBe(at('status: in-progress'));
    // A path that goes past what exists points at the deepest part that does.
    expect(lineOfPath(['layers', 'L1', 'threats', 7])).toBe(at('threats:'));
    expect(lineOfPath(['agent', 'nothing'])).toBe(at('agent:'));
  });
});
