import { describe, expect, it } from 'vitest';
import { parseThreatModel } from '../../src/parse/index.js';
import { looksLikeListing, parseListing, slugify } from '../../src/parse/listing/index.js';
import { scoreModel } from '../../src/score/model.js';
import {
  SEED_LISTING,
  VALID_MODEL_YAML,
  evaluate,
  expectRefused,
  insertAfter,
  lineOf,
  modelOf,
  parsedOf,
  problemsOf,
  removeLine,
  replaceOnce,
} from '../fixtures/index.js';

const SEED_LINES = SEED_LISTING.split('\n');
const UNCERTAIN_PREFIX = 'Not certain from the listing — ';
const at = (needle: string, text = SEED_LISTING) => lineOf(text, needle);

const seedModel = modelOf(SEED_LISTING);

describe('the sample listing, read as it is', () => {
  it('is recognised as a listing', () => {
    expect(looksLikeListing(SEED_LISTING)).toBe(true);
    expect(parsedOf(parseThreatModel(SEED_LISTING)).format).toBe('listing');
  });

  it('names the agent and keeps the summary paragraph as its description', () => {
    expect(seedModel.agent).toEqual({ id: 'micro-agent', name: 'Micro Agent', description: SEED_LINES[1] });
    expect(seedModel.agent.description).toMatch(/^Micro Agent presents a moderate-to-high risk profile/);
    expect(seedModel.agent.description).toMatch(/malicious code generation\.$/);
  });

  it('has the ten factors of the table, summing to 4.4', () => {
    expect(seedModel.aivss.factors).toEqual({
      autonomy: 0.7,
      planning: 0.6,
      'self-modification': 0.2,
      'tool-use': 0.7,
      memory: 0.2,
      context: 0.5,
      identity: 0.1,
      'multi-agent': 0.3,
      'non-determinism': 0.6,
      opacity: 0.5,
    });
    expect(scoreModel(seedModel, 'v0.8').factorSum).toBe(4.4);
  });

  it('has no CVSS base, so it is unscored', () => {
    expect(seedModel.aivss.cvss).toBeUndefined();
    const report = evaluate(SEED_LISTING, {}, 'threat-models/micro-agent.txt');
    expect(report).toMatchObject({
      format: 'listing',
      status: 'unscored',
      score: null,
      severity: null,
      factorSum: 4.4,
      errors: [],
      warnings: [],
    });
  });

  it('maps the seven paragraphs to L1-L7 by position; L1, L2 and L4 are uncertain, without the caveat prefix', () => {
    const paragraphs = SEED_LINES.slice(at('MAESTRO 7-layer') + 1, -1);
    expect(paragraphs).toHaveLength(7);
    const expected = Object.fromEntries(
      paragraphs.map((text, i) => {
        const uncertain = text.startsWith(UNCERTAIN_PREFIX);
        return [
          `L${i + 1}`,
          { status: uncertain ? 'uncertain' : 'mapped', summary: uncertain ? text.slice(UNCERTAIN_PREFIX.length) : text, threats: [] },
        ];
      }),
    );
    expect(seedModel.layers).toEqual(expected);
    const statuses = Object.entries(seedModel.layers).map(([id, layer]) => `${id}:${layer!.status}`);
    expect(statuses).toEqual(['L1:uncertain', 'L2:uncertain', 'L3:mapped', 'L4:uncertain', 'L5:mapped', 'L6:mapped', 'L7:mapped']);
    expect(seedModel.layers.L1!.summary).toMatch(/^The specific foundation models used are not detailed/);
    expect(seedModel.layers.L4!.summary).toMatch(/^As a local developer tool/);
    expect(seedModel.layers.L7!.summary).toMatch(/^The agent integrates with Visual Copilot/);
  });

  it('points each part of the model at its line in the file', () => {
    const { lineOf: lineOfPath } = parsedOf(parseListing(SEED_LISTING));
    expect(lineOfPath(['agent', 'name'])).toBe(1);
    expect(lineOfPath(['agent', 'description'])).toBe(2);
    expect(lineOfPath(['aivss', 'factors'])).toBe(at('OWASP AIVSS score rationale'));
    expect(lineOfPath(['aivss', 'factors', 'Dynamic Identity'])).toBe(at('| Dynamic Identity'));
    expect(lineOfPath(['layers', 'L5'])).toBe(at('The agent relies on unit tests'));
    expect(lineOfPath(['layers', 'L5', 'summary'])).toBe(at('The agent relies on unit tests'));
    expect(lineOfPath(['nothing'])).toBe(1);
  });
});

/** The copies of a listing seen in the wild, each built from the sample. */
const withHeaderRow = (text: string) => insertAfter(text, 'OWASP AIVSS score rationale', '| Factor | Value | Note |', '|---|---|---|');
const VARIANTS: Record<string, (text: string) => string> = {
  'CRLF line ends': (t) => t.replace(/\n/g, '\r\n'),
  'CR line ends': (t) => t.replace(/\n/g, '\r'),
  'blank lines between every line': (t) => t.split('\n').join('\n\n'),
  'blank lines and spaces around, and a final newline': (t) =>
    `\n\n${t
      .split('\n')
      .map((l) => `  ${l}  `)
      .join('\n \n')}\n\n`,
  'a header row and separator': withHeaderRow,
  'an aligned separator row': (t) => insertAfter(t, 'OWASP AIVSS score rationale', '| Factor | Value | Note |', '| :--- | ---: | --- |'),
  'values written 0.7 rather than 0.70': (t) => t.replace(/\| (\d)\.(\d)0 \|/g, '| $1.$2 |'),
  'curly quotes made straight': (t) => t.replace(/[‘’]/g, "'").replace(/[“”]/g, '"'),
  'no trailing cells on any row': (t) => t.replace(/ \| \|$/gm, ''),
  'trailing cells on the last row too': (t) => replaceOnce(t, '| Opacity & Reflexivity | 0.50 |', '| Opacity & Reflexivity | 0.50 | |'),
  'no closing pipe on any row': (t) => t.replace(/^(\| .*?) \|\s*\|?$/gm, '$1'),
  'markdown headings': (t) =>
    [
      ['Micro Agent — agentic threat model', '# Micro Agent — agentic threat model'],
      ['OWASP AIVSS score rationale', '## OWASP AIVSS score rationale'],
      ['MAESTRO 7-layer threat model', '## MAESTRO 7-layer threat model'],
    ].reduce((text, [from, to]) => replaceOnce(text, from!, to!), t),
  'bold headings': (t) => replaceOnce(t, 'OWASP AIVSS score rationale', '**OWASP AIVSS score rationale**'),
  'a byte-order mark': (t) => `\uFEFF${t}`,
  'an en dash in the title': (t) => replaceOnce(t, 'Micro Agent — agentic', 'Micro Agent – agentic'),
  'no preamble line': (t) => removeLine(t, 'Per-layer threats for this agent'),
  'no closing line': (t) => removeLine(t, 'MAESTRO — the 7-layer'),
};
const COMBINED = [
  'values written 0.7 rather than 0.70',
  'curly quotes made straight',
  'no trailing cells on any row',
  'a header row and separator',
  'markdown headings',
  'no preamble line',
  'blank lines between every line',
  'CRLF line ends',
  'a byte-order mark',
];
VARIANTS['several of them at once'] = (t) => COMBINED.reduce((text, name) => VARIANTS[name]!(text), t);

describe('real copies of a listing vary', () => {
  it.each(Object.entries(VARIANTS))('%s: the same model', (_what, variant) => {
    const text = variant(SEED_LISTING);
    expect(text).not.toBe(SEED_LISTING);
    expect(modelOf(text)).toEqual(seedModel);
  });

  it('keeps the file lines with blank lines in between', () => {
    const text = SEED_LISTING.split('\n').join('\n\n');
    const { lineOf: lineOfPath } = parsedOf(parseListing(text));
    expect(lineOfPath(['aivss', 'factors', 'Dynamic Identity'])).toBe(at('| Dynamic Identity', text));
    expect(lineOfPath(['layers', 'L7'])).toBe(at('Visual Copilot. This', text));
  });

  it('keeps the file lines with CRLF line ends', () => {
    const text = SEED_LISTING.replace(/\n/g, '\r\n');
    expect(parsedOf(parseListing(text)).lineOf(['layers', 'L3'])).toBe(at('The agent framework orchestrates'));
  });

  it('accepts v0.8 factor names in the table', () => {
    const text = [
      ['| Autonomy of Action |', '| Execution Autonomy |'],
      ['| Goal-Driven Planning |', '| Natural Language Interface |'],
      ['| Non-Determinism |', '| Behavioral Non-Determinism |'],
    ].reduce((t, [from, to]) => replaceOnce(t, from!, to!), SEED_LISTING);
    const model = modelOf(text);
    expect(model.aivss.factors['natural-language']).toBe(0.6);
    expect(model.aivss.factors.planning).toBeUndefined();
  });
});

describe('a listing that cannot be read is refused, with the file line', () => {
  it('nine factor rows', () => {
    const text = removeLine(SEED_LISTING, '| Dynamic Identity |');
    expectRefused(text, at('OWASP AIVSS score rationale'), /exactly 10 factors; missing: Dynamic Identity/);
  });

  it('eleven factor rows: a second factor for slot 2', () => {
    const text = insertAfter(SEED_LISTING, '| Dynamic Identity |', '| Natural Language Interface | 0.40 | |');
    expectRefused(text, at('| Natural Language Interface', text), /repeats "Goal-Driven Planning"/);
  });

  it('eleven factor rows: one factor twice', () => {
    const text = insertAfter(SEED_LISTING, '| Dynamic Identity |', '| Dynamic Identity | 0.40 | |');
    expectRefused(text, at('| Dynamic Identity', text) + 1, /"Dynamic Identity" is listed twice/);
  });

  it('eleven factor rows: an unknown eleventh', () => {
    const text = insertAfter(SEED_LISTING, '| Dynamic Identity |', '| Creativity | 0.40 | |');
    expectRefused(text, at('| Creativity', text), /unknown factor "Creativity"/);
  });

  it.each(['__proto__', 'constructor', 'toString'])('eleven factor rows: an eleventh named %s', (name) => {
    const text = insertAfter(SEED_LISTING, '| Dynamic Identity |', `| ${name} | 0.40 | |`);
    expectRefused(text, at(`| ${name}`, text), new RegExp(`unknown factor "${name}"`));
  });

  it('an unknown factor name', () => {
    const text = replaceOnce(SEED_LISTING, '| Self-Modification |', '| Self-Improvement |');
    expectRefused(text, at('| Self-Improvement', text), /unknown factor "Self-Improvement"/);
  });

  it.each([
    ['a word', 'high'],
    ['a percentage', '70%'],
    ['an empty cell', ''],
    ['a comma decimal', '0,7'],
  ])('a non-numeric value (%s)', (_what, value) => {
    const text = replaceOnce(SEED_LISTING, '| Persistent Memory | 0.20 |', `| Persistent Memory | ${value} |`);
    expectRefused(text, at('| Persistent Memory'), /"Persistent Memory" has no numeric value/);
  });

  it('a non-numeric value in the first row, not mistaken for a header row', () => {
    const text = replaceOnce(SEED_LISTING, '| Autonomy of Action | 0.70 |', '| Autonomy of Action | high |');
    expectRefused(text, at('| Autonomy of Action'), /"Autonomy of Action" has no numeric value/);
  });

  it('a non-numeric value in the first row after a header row', () => {
    const text = replaceOnce(withHeaderRow(SEED_LISTING), '| Autonomy of Action | 0.70 |', '| Autonomy of Action | high |');
    expectRefused(text, at('| Autonomy of Action', text), /"Autonomy of Action" has no numeric value/);
  });

  it('a value outside [0, 1]', () => {
    const text = replaceOnce(SEED_LISTING, '| Persistent Memory | 0.20 |', '| Persistent Memory | 2 |');
    expectRefused(text, at('| Persistent Memory'), /at most 1/);
  });

  it('six layer paragraphs', () => {
    const text = removeLine(SEED_LISTING, 'The agent relies on unit tests');
    expectRefused(text, at('MAESTRO 7-layer threat model'), /found 6 layer paragraphs.*exactly seven/);
  });

  it('eight layer paragraphs', () => {
    const text = insertAfter(SEED_LISTING, 'The agent relies on unit tests', 'An extra paragraph that belongs to no layer.');
    const [first, last] = [at(UNCERTAIN_PREFIX, text), at('The agent integrates with Visual Copilot', text)];
    expect(last - first + 1).toBe(8);
    expectRefused(text, at('MAESTRO 7-layer threat model'), new RegExp(`found 8 layer paragraphs \\(lines ${first}-${last}\\)`));
  });

  it('no layer paragraphs', () => {
    const text = SEED_LINES.slice(0, at('Per-layer threats')).join('\n');
    expectRefused(text, at('MAESTRO 7-layer threat model'), /found 0 layer paragraphs/);
  });

  it('no title line', () => {
    const text = SEED_LINES.slice(1).join('\n');
    expectRefused(text, 1, /has a title line/);
  });

  it('a title with no agent name', () => {
    expectRefused(replaceOnce(SEED_LISTING, 'Micro Agent — agentic', '— agentic'), 1, /has a title line/);
  });

  it('a title line but no score rationale', () => {
    const text = removeLine(SEED_LISTING, 'OWASP AIVSS score rationale');
    expect(problemsOf(text)).toContainEqual({ line: null, message: expect.stringMatching(/no "OWASP AIVSS score rationale" section/) });
  });

  it('no factor table', () => {
    const text = SEED_LINES.filter((l) => !l.startsWith('|')).join('\n');
    expectRefused(text, at('OWASP AIVSS score rationale'), /has no factors/);
  });
});

describe('detection is by content, not by file name', () => {
  it.each(['micro-agent.threat-model.yaml', 'micro-agent.json', 'micro-agent.md', 'micro-agent'])(
    'reads the listing named %s as a listing',
    (file) => {
      expect(evaluate(SEED_LISTING, {}, file)).toMatchObject({ format: 'listing', status: 'unscored', agentId: 'micro-agent' });
    },
  );

  it.each(['model.txt', 'model.md'])('reads a native model named %s as native', (file) => {
    expect(evaluate(VALID_MODEL_YAML, {}, file)).toMatchObject({ format: 'native', status: 'scored' });
  });

  it('reads a native model whose first line is a YAML comment shaped like a listing title as native', () => {
    const text = `# Payments Agent — agentic threat model\n${VALID_MODEL_YAML}`;
    expect(looksLikeListing(text)).toBe(false);
    expect(evaluate(text)).toMatchObject({ format: 'native', status: 'scored', errors: [] });
  });

  it('recognises a listing without its title by its two section headings', () => {
    expect(looksLikeListing(SEED_LINES.slice(1).join('\n'))).toBe(true);
  });

  it('does not take other text for a listing', () => {
    expect(looksLikeListing('just some notes\nabout an agent\n')).toBe(false);
    expect(looksLikeListing('')).toBe(false);
  });
});

describe('slugify', () => {
  it.each([
    ['Micro Agent', 'micro-agent'],
    ['  AI Security-Guard!! ', 'ai-security-guard'],
    ['Café Agent', 'cafe-agent'],
    ['日本語', 'agent'],
    ['x'.repeat(80), 'x'.repeat(64)],
    [`${'a'.repeat(63)} b`, 'a'.repeat(63)],
  ])('%j -> %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
