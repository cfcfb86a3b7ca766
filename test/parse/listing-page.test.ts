import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseThreatModel } from '../../src/parse/index.js';
import { looksLikeListing, parseListing } from '../../src/parse/listing/index.js';
import { layerHeading } from '../../src/parse/listing/layers.js';
import {
  SAMPLE_PAGE,
  SEED_LISTING,
  VALID_MODEL_YAML,
  aivssVectors,
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

/**
 * The rendered page of a listing (listing-pages.md): copied from a browser (examples/relay-scribe.listing.txt, the
 * spec's sample, byte for byte) or saved as Markdown (test/parse/data/relay-scribe.page.md, made from the spec's
 * description). Both carry the formula's inputs, so both are scored.
 */

/** The same page saved as Markdown, made from the spec's description (LF here; tests add CRLF). */
const SAMPLE_PAGE_MARKDOWN = readFileSync(new URL('./data/relay-scribe.page.md', import.meta.url), 'utf8');
const PAGE_LINES = SAMPLE_PAGE.split('\n');
const INPUTS = 'CVSS base 6.0AARS uplift 1.29Factor sum 3.4/10Threat ×0.95Mitigation ×0.85';
const at = (needle: string, text = SAMPLE_PAGE) => lineOf(text, needle);
const pageModel = modelOf(SAMPLE_PAGE);
const SUMMARY = PAGE_LINES[at('Relay Scribe turns') - 1];
const PARAGRAPHS = {
  L1: 'The model vendor is not named; instructions hidden in a transcript could steer what it drafts.',
  L2: 'Transcripts and shared-drive documents enter the context window and may carry confidential details into outgoing mail.',
  L3: 'A draft-review-send loop with mail and ticketing tools; a skipped review step sends text nobody approved.',
  L4: 'Hosting is not described; its mail credentials are likely long-lived.',
  L5: "Sent messages are logged, but nothing flags drafts that differ from the meeting's content.",
  L6: "Sending on a user's behalf needs consent and retention rules that the listing does not mention.",
  L7: 'Tickets it files are picked up by other agents, so an injected task can travel downstream.',
};

describe('the sample page, copied from a browser', () => {
  it('is recognised as a listing although navigation text comes before the title', () => {
    expect(PAGE_LINES[0]).toBe('AgentReadyHomeAgent Listing');
    expect(looksLikeListing(SAMPLE_PAGE)).toBe(true);
    expect(parsedOf(parseThreatModel(SAMPLE_PAGE)).format).toBe('listing');
  });

  it('names the agent from the title; neither the navigation nor the badge is part of the summary', () => {
    expect(pageModel.agent).toEqual({ id: 'relay-scribe', name: 'Relay Scribe', description: SUMMARY });
  });

  it('reads the ten factors from their name and value lines', () => {
    expect(pageModel.aivss.factors).toEqual({
      autonomy: 0.4,
      planning: 0.5,
      'self-modification': 0.1,
      'tool-use': 0.6,
      memory: 0.3,
      context: 0.5,
      identity: 0.2,
      'multi-agent': 0.1,
      'non-determinism': 0.4,
      opacity: 0.3,
    });
  });

  it('takes the CVSS base, ThM and MF from the inputs line and the badge as its declared score', () => {
    expect(pageModel.aivss).toMatchObject({ cvss: 6, threatMultiplier: 0.95, mitigationFactor: 0.85, declaredScore: 6.2 });
  });

  it('is scored 6.2 Medium, as its badge says; the off-table ThM and MF are reported on the inputs line', () => {
    const report = evaluate(SAMPLE_PAGE, {}, 'threat-models/relay-scribe.txt');
    expect(report).toMatchObject({
      format: 'listing',
      status: 'scored',
      score: 6.2,
      severity: 'medium',
      factorSum: 3.4,
      uplift: 1.29,
      cvss: { score: 6, vector: null },
      threatMultiplier: { value: 0.95, label: null, onTable: false, source: 'model' },
      mitigationFactor: { value: 0.85, label: null, onTable: false, source: 'model' },
      declaredScore: 6.2,
      errors: [],
    });
    expect(report.warnings).toEqual([
      { line: at(INPUTS), message: "threat multiplier 0.95 is off the spec's table (attacked, poc, unreported)" },
      { line: at(INPUTS), message: "mitigation factor 0.85 is off the spec's table (none, partial, strong)" },
    ]);
  });

  it('knows each layer by its heading and its mark; heading, mark and caveat prefix are not in the text', () => {
    expect(pageModel.layers).toEqual({
      L1: { status: 'uncertain', summary: PARAGRAPHS.L1, threats: [] },
      L2: { status: 'mapped', summary: PARAGRAPHS.L2, threats: [] },
      L3: { status: 'mapped', summary: PARAGRAPHS.L3, threats: [] },
      L4: { status: 'uncertain', summary: PARAGRAPHS.L4, threats: [] },
      L5: { status: 'mapped', summary: PARAGRAPHS.L5, threats: [] },
      L6: { status: 'mapped', summary: PARAGRAPHS.L6, threats: [] },
      L7: { status: 'mapped', summary: PARAGRAPHS.L7, threats: [] },
    });
  });

  it('points each part of the model at its line', () => {
    const { lineOf: lineOfPath } = parsedOf(parseListing(SAMPLE_PAGE));
    expect(lineOfPath(['agent', 'name'])).toBe(at('Relay Scribe — agentic'));
    expect(lineOfPath(['agent', 'description'])).toBe(at('Relay Scribe turns'));
    expect(lineOfPath(['aivss', 'declaredScore'])).toBe(at('6.2AIVSS'));
    expect(lineOfPath(['aivss', 'cvss'])).toBe(at(INPUTS));
    expect(lineOfPath(['aivss', 'mitigationFactor'])).toBe(at(INPUTS));
    expect(lineOfPath(['aivss', 'factors', 'Dynamic Identity'])).toBe(at('Dynamic Identity'));
    expect(lineOfPath(['layers', 'L3'])).toBe(at('L3 · Agent Frameworks'));
    expect(lineOfPath(['layers', 'L3', 'summary'])).toBe(at('A draft-review-send loop'));
    expect(lineOfPath(['nothing'])).toBe(at('Relay Scribe — agentic'));
  });
});

describe('the page saved as Markdown', () => {
  const crlf = SAMPLE_PAGE_MARKDOWN.replace(/\n/g, '\r\n');

  it.each([
    ['CRLF, as saved', crlf],
    ['LF', SAMPLE_PAGE_MARKDOWN],
  ])('%s: the same model as the copied page', (_what, text) => {
    expect(looksLikeListing(text)).toBe(true);
    expect(modelOf(text)).toEqual(pageModel);
    expect(evaluate(text)).toMatchObject({ status: 'scored', score: 6.2, warnings: [expect.anything(), expect.anything()], errors: [] });
  });

  it('keeps the file lines', () => {
    const { lineOf: lineOfPath } = parsedOf(parseListing(crlf));
    expect(lineOfPath(['aivss', 'declaredScore'])).toBe(at('**6.2**AIVSS', crlf));
    expect(lineOfPath(['aivss', 'factors', 'Persistent Memory'])).toBe(at('| Persistent Memory', crlf));
    expect(lineOfPath(['layers', 'L6'])).toBe(at('### L6', crlf));
  });
});

/** Copies of the page seen in the wild, each built from the sample. */
const lines = (t: string) => t.split('\n');
const PAGE_VARIANTS: Record<string, (text: string) => string> = {
  'CRLF line ends': (t) => t.replace(/\n/g, '\r\n'),
  'no blank lines': (t) =>
    lines(t)
      .filter((l) => l !== '')
      .join('\n'),
  'blank lines between every line': (t) => lines(t).join('\n\n'),
  'no navigation text': (t) =>
    lines(t)
      .slice(at('Relay Scribe — agentic') - 1)
      .join('\n'),
  'marks spaced from the layer name': (t) => t.replace(/([a-z])(⚠|✓)/g, '$1 $2'),
  'emoji marks': (t) => t.replaceAll('⚠', '⚠️').replaceAll('✓', '✅'),
  'marks in words only': (t) => t.replace(/(⚠|✓) /g, ' '),
  'Markdown layer headings': (t) => t.replace(/^L(\d) · /gm, '### L$1 · '),
  'marks on a line of their own': (t) => t.replace(/([a-z])(⚠|✓) /g, '$1\n$2 '),
  'bold layer names': (t) => t.replace(/^L(\d) · ([^⚠✓]*)/gm, '**L$1 · $2**'),
  'inputs separated by " · "': (t) =>
    replaceOnce(t, INPUTS, 'CVSS base 6.0 · AARS uplift 1.29 · Factor sum 3.4/10 · Threat ×0.95 · Mitigation ×0.85'),
  'inputs with bold labels and an x': (t) =>
    replaceOnce(t, INPUTS, '**CVSS base** 6.0 · **AARS uplift** 1.29 · **Factor sum** 3.4/10 · **Threat** x0.95 · **Mitigation** x0.85'),
  'inputs over five lines': (t) =>
    replaceOnce(t, INPUTS, 'CVSS base 6.0\nAARS uplift 1.29\nFactor sum 3.4/10\nThreat ×0.95\nMitigation ×0.85'),
  'inputs without the uplift and the factor sum': (t) => replaceOnce(t, INPUTS, 'CVSS base 6.0Threat ×0.95Mitigation ×0.85'),
  'factors as table rows': (t) => t.replace(/^([A-Z][A-Za-z &-]+)\n(\d\.\d\d)$/gm, '| $1 | $2 | |'),
  'factor names and values on one line': (t) => t.replace(/^([A-Z][A-Za-z &-]+)\n(\d\.\d\d)$/gm, '$1 $2'),
  'factor names and values glued': (t) => t.replace(/^([A-Z][A-Za-z &-]+)\n(\d\.\d\d)$/gm, '$1$2'),
  'the printed score on a line of its own': (t) => replaceOnce(t, '6.2AIVSS 6.2 · Medium', '**6.2**\nAIVSS 6.2 · Medium'),
  'a spaced, bold badge': (t) => replaceOnce(t, '6.2AIVSS 6.2 · Medium', '**6.2** AIVSS 6.2 · Medium'),
  'footer text after the closing line': (t) => `${t}\nAbout · Privacy · Terms\n© AgentReady`,
  'layers in another order': (t) => {
    const all = lines(t);
    const l1 = at('L1 · Foundation');
    const l2 = at('L2 · Data');
    // L2's heading, blank and paragraph before L1's.
    const moved = all.splice(l2 - 1, 4);
    all.splice(l1 - 1, 0, ...moved);
    return all.join('\n');
  },
};

describe('real copies of the page vary', () => {
  it.each(Object.entries(PAGE_VARIANTS))('%s: the same model', (_what, variant) => {
    const text = variant(SAMPLE_PAGE);
    expect(text).not.toBe(SAMPLE_PAGE);
    expect(modelOf(text)).toEqual(pageModel);
  });

  it('several of them at once', () => {
    const names = [
      'no navigation text',
      'marks spaced from the layer name',
      'emoji marks',
      'Markdown layer headings',
      'inputs with bold labels and an x',
      'factors as table rows',
      'a spaced, bold badge',
      'footer text after the closing line',
      'blank lines between every line',
      'CRLF line ends',
    ];
    const text = names.reduce((t, n) => PAGE_VARIANTS[n]!(t), SAMPLE_PAGE);
    expect(modelOf(text)).toEqual(pageModel);
  });
});

describe('layer headings', () => {
  it.each([
    ['L1 · Foundation Models⚠ not certain from listing', { number: 1, name: 'Foundation Models', status: 'uncertain' }],
    ['L1 · Foundation Models ⚠️ not certain from listing', { number: 1, name: 'Foundation Models', status: 'uncertain' }],
    ['L2 · Data Operations✓ mapped', { number: 2, name: 'Data Operations', status: 'mapped' }],
    ['L4 · Deployment & Infrastructure ✅', { number: 4, name: 'Deployment & Infrastructure', status: 'mapped' }],
    ['L5 · Evaluation & Observability mapped', { number: 5, name: 'Evaluation & Observability', status: 'mapped' }],
    ['Layer 6: Security & Compliance', { number: 6, name: 'Security & Compliance', status: null }],
    ['**L7 · Agent Ecosystem**✓ mapped', { number: 7, name: 'Agent Ecosystem', status: 'mapped' }],
  ])('%s', (line, heading) => {
    expect(layerHeading(line)).toEqual(heading);
  });

  it.each(['L2 caching is not described.', 'Layers tagged here are general.', 'L1 · some words without a mark'])(
    'a paragraph is not a heading: %s',
    (line) => {
      expect(layerHeading(line)).toBeNull();
    },
  );

  it('the mark decides: a mapped layer whose paragraph starts with the caveat is mapped, without the caveat', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'L1 · Foundation Models⚠ not certain from listing', 'L1 · Foundation Models✓ mapped');
    expect(modelOf(text).layers.L1).toEqual({ status: 'mapped', summary: PARAGRAPHS.L1, threats: [] });
  });

  it('without a mark, the caveat prefix decides', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'L1 · Foundation Models⚠ not certain from listing', 'L1 · Foundation Models');
    expect(modelOf(text).layers.L1).toEqual({ status: 'uncertain', summary: PARAGRAPHS.L1, threats: [] });
  });

  it('a layer of two paragraphs keeps both; a heading with no paragraph is an empty layer', () => {
    const two = insertAfter(SAMPLE_PAGE, PARAGRAPHS.L3, '', 'A second paragraph.');
    expect(modelOf(two).layers.L3!.summary).toBe(`${PARAGRAPHS.L3} A second paragraph.`);
    const none = removeLine(SAMPLE_PAGE, PARAGRAPHS.L6);
    expect(modelOf(none).layers.L6).toEqual({ status: 'mapped', summary: '', threats: [] });
  });
});

describe('scored from the page’s inputs', () => {
  /** A page with the given inputs, ten factors adding up to `factorSum`, and a badge printing `score`. */
  function page(c: { cvss: number; factorSum: number; threatMultiplier: number; mitigationFactor?: number; score: number }) {
    const tenths = Math.round(c.factorSum * 10);
    const values = Array.from({ length: 10 }, (_, i) => Math.floor(tenths / 10) + (i < tenths % 10 ? 1 : 0)).map((v) =>
      (v / 10).toFixed(2),
    );
    let text = replaceOnce(
      SAMPLE_PAGE,
      INPUTS,
      `CVSS base ${c.cvss.toFixed(1)}AARS uplift 0.00Factor sum ${c.factorSum}/10Threat ×${c.threatMultiplier}Mitigation ×${c.mitigationFactor ?? 1}`,
    );
    text = replaceOnce(text, '6.2AIVSS 6.2 · Medium', `${c.score.toFixed(1)}AIVSS ${c.score.toFixed(1)} · Band`);
    const all = lines(text);
    const first = at('Autonomy of Action', text);
    values.forEach((v, i) => (all[first + 2 * i] = v));
    return all.join('\n');
  }

  const listingCases = aivssVectors().cases.filter((c) => c.source.startsWith('public agent listing page'));

  it('there are seven public listing pages among the test vectors', () => {
    expect(listingCases).toHaveLength(7);
  });

  it.each(listingCases.map((c) => [c.name!, c] as const))('%s gives the score its page printed', (_name, c) => {
    const report = evaluate(page(c));
    expect(report).toMatchObject({ status: 'scored', score: c.score, severity: c.severity, factorSum: c.factorSum, errors: [] });
    expect(report.warnings.filter((w) => /declared/.test(w.message))).toEqual([]);
  });

  it('values on the spec’s tables raise no note', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'Threat ×0.95Mitigation ×0.85', 'Threat ×0.97Mitigation ×1.00');
    expect(evaluate(text)).toMatchObject({
      threatMultiplier: { label: 'poc', onTable: true },
      mitigationFactor: { label: 'none', onTable: true },
      warnings: [{ line: at('6.2AIVSS'), message: 'the declared score 6.2 differs from the computed 7.3' }],
    });
  });

  it('a badge that differs from the computed score is reported on its line, naming both values', () => {
    const text = replaceOnce(SAMPLE_PAGE, '6.2AIVSS 6.2 · Medium', '6.8AIVSS 6.8 · Medium');
    const report = evaluate(text);
    expect(report).toMatchObject({ status: 'scored', score: 6.2, declaredScore: 6.8, errors: [] });
    expect(report.warnings).toContainEqual({ line: at('6.8AIVSS', text), message: 'the declared score 6.8 differs from the computed 6.2' });
  });

  it('a page without an inputs line is unscored, and its badge is not checked', () => {
    const text = removeLine(SAMPLE_PAGE, INPUTS);
    const report = evaluate(text);
    expect(report).toMatchObject({ status: 'unscored', score: null, factorSum: 3.4, declaredScore: 6.2, errors: [] });
    expect(report.warnings).toEqual([
      {
        line: at('6.2AIVSS'),
        message: 'the declared score 6.2 is not checked: without a CVSS base there is no AIVSS score to compare',
      },
    ]);
  });

  it('the seed’s form stays unscored, with no badge and no inputs', () => {
    expect(evaluate(SEED_LISTING)).toMatchObject({ status: 'unscored', declaredScore: null, cvss: null, warnings: [] });
  });

  it('a factor sum that is not the sum of the factors is refused on the inputs line, naming both', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'Factor sum 3.4/10', 'Factor sum 3.9/10');
    expectRefused(text, at(INPUTS), /^the inputs line gives factor sum 3\.9, but the factors add up to 3\.4$/);
  });

  it('a factor sum printed to fewer decimals than the factors is compared at its own precision', () => {
    const text = replaceOnce(replaceOnce(SAMPLE_PAGE, '\n0.40\nGoal', '\n0.45\nGoal'), 'Factor sum 3.4/10', 'Factor sum 3.5/10');
    expect(evaluate(text)).toMatchObject({ status: 'scored', factorSum: 3.45, errors: [] });
  });
});

describe('a broken page is refused, each problem with its line', () => {
  const inputsWith = (from: string, to: string) => replaceOnce(SAMPLE_PAGE, from, to);

  it.each([
    ['no Threat ×', inputsWith('Threat ×0.95', ''), /^the inputs line has no threat multiplier \(Threat ×\)$/],
    ['no Mitigation ×', inputsWith('Mitigation ×0.85', ''), /^the inputs line has no mitigation factor \(Mitigation ×\)$/],
    [
      'an unreadable CVSS base',
      inputsWith('CVSS base 6.0', 'CVSS base n/a'),
      /^the inputs line's CVSS base is not a number \(found "n\/a"\)$/,
    ],
    ['an unreadable factor sum', inputsWith('Factor sum 3.4/10', 'Factor sum ?/10'), /factor sum is not a number \(found "\?"\)/],
    ['a CVSS base above 10', inputsWith('CVSS base 6.0', 'CVSS base 11'), /^aivss\.cvss: /],
    [
      'a mitigation factor above 1',
      inputsWith('Mitigation ×0.85', 'Mitigation ×1.2'),
      /^aivss\.mitigationFactor: 1\.2 is too large: a mitigation factor is at most 1/,
    ],
    [
      'a threat multiplier of 0',
      inputsWith('Threat ×0.95', 'Threat ×0'),
      /^aivss\.threatMultiplier: 0 is too small: a threat multiplier is greater than 0/,
    ],
  ])('the inputs line: %s', (_what, text, pattern) => {
    expectRefused(text, at(INPUTS.slice(0, 8), text), pattern);
  });

  it('a factor above 1, on its line', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'Persistent Memory\n0.30', 'Persistent Memory\n1.30');
    expectRefused(text, at('Persistent Memory'), /^aivss\.factors\.Persistent Memory: 1\.3 is too large: a factor is at most 1$/);
  });

  it('a factor with a word for its value', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'Persistent Memory\n0.30', 'Persistent Memory\nhigh');
    expectRefused(text, at('Persistent Memory'), /^factor "Persistent Memory" has no numeric value \(found "high"\)$/);
    expect(problemsOf(text)).toHaveLength(1);
  });

  it('a factor name lost: its value is left without a name, and the factor is missing', () => {
    const text = removeLine(SAMPLE_PAGE, 'Self-Modification');
    const problems = problemsOf(text);
    expect(problems).toContainEqual({ line: at('Self-Modification'), message: 'a value with no factor name above it (found "0.10")' });
    expect(problems).toContainEqual({
      line: at('OWASP AIVSS score rationale'),
      message: expect.stringMatching(/missing: Self-Modification \(self-modification\)$/),
    });
  });

  it('a factor listed twice', () => {
    const text = insertAfter(SAMPLE_PAGE, 'Opacity & Reflexivity', '0.30', 'Dynamic Identity');
    expectRefused(text, at('Opacity & Reflexivity') + 2, /^factor "Dynamic Identity" is listed twice$/);
  });

  it('a layer heading out of range', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'L7 · Agent Ecosystem', 'L8 · Agent Ecosystem');
    const problems = problemsOf(text);
    expect(problems).toContainEqual({ line: at('L8 · Agent', text), message: '"L8" is not a MAESTRO layer: the layers are L1 to L7' });
    expect(problems).toContainEqual({
      line: at('MAESTRO 7-layer'),
      message: expect.stringMatching(/^layers: missing layer L7 \(Agent Ecosystem\)/),
    });
  });

  it('a layer heading whose number and name disagree', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'L2 · Data Operations', 'L2 · Foundation Models');
    expectRefused(text, at('L2 · Foundation', text), /^the heading names L2 and Foundation Models, which is L1$/);
  });

  it('a layer with two headings', () => {
    const text = replaceOnce(SAMPLE_PAGE, 'L5 · Evaluation & Observability', 'L4 · Deployment & Infrastructure');
    const problems = problemsOf(text);
    expect(problems).toContainEqual({ line: at('L5 · Evaluation'), message: 'L4 has a second heading' });
    expect(problems).toContainEqual({
      line: at('MAESTRO 7-layer'),
      message: expect.stringMatching(/missing layer L5 \(Evaluation & Observability\)/),
    });
  });

  it('a missing layer heading', () => {
    const text = removeLine(SAMPLE_PAGE, 'L6 · Security');
    expectRefused(text, at('MAESTRO 7-layer'), /^layers: missing layer L6 \(Security & Compliance\)/);
  });

  it('a badge with two different scores', () => {
    const text = replaceOnce(SAMPLE_PAGE, '6.2AIVSS 6.2', '6.2AIVSS 6.3');
    expectRefused(text, at('6.2AIVSS 6.3', text), /^the score badge prints two scores, 6\.2 and AIVSS 6\.3$/);
  });

  it('a badge whose score cannot be read', () => {
    const text = replaceOnce(SAMPLE_PAGE, '6.2AIVSS 6.2 · Medium', '6.2AIVSS six · Medium');
    expectRefused(text, at('6.2AIVSS six', text), /^the score badge cannot be read/);
  });

  it('no title line, after the navigation', () => {
    const text = removeLine(SAMPLE_PAGE, 'Relay Scribe — agentic');
    expectRefused(text, 1, /^a listing has a title line/);
    expect(evaluate(text)).toMatchObject({ status: 'invalid', name: null });
  });
});

describe('every problem at once', () => {
  it('the text copy: a factor out of range, a missing factor, a repeated factor and six layer paragraphs', () => {
    let text = replaceOnce(SEED_LISTING, '| Persistent Memory | 0.20 |', '| Persistent Memory | 1.20 |');
    text = removeLine(text, '| Dynamic Identity |');
    text = insertAfter(text, '| Non-Determinism |', '| Non-Determinism | 0.40 | |');
    text = removeLine(text, 'The agent relies on unit tests');
    const report = evaluate(text, {}, 'threat-models/micro-agent.txt');
    expect(report).toMatchObject({ status: 'invalid', name: 'Micro Agent', format: 'listing' });
    expect(report.errors).toEqual([
      { line: at('OWASP AIVSS score rationale', text), message: expect.stringMatching(/missing: Dynamic Identity \(identity\)$/) },
      { line: at('| Persistent Memory', text), message: 'aivss.factors.Persistent Memory: 1.2 is too large: a factor is at most 1' },
      { line: at('| Non-Determinism', text) + 1, message: 'factor "Non-Determinism" is listed twice' },
      { line: at('MAESTRO 7-layer', text), message: expect.stringMatching(/^found 6 layer paragraphs/) },
    ]);
  });

  it('the page: an unreadable inputs line, a factor with no value, a wrong heading, a broken badge', () => {
    let text = replaceOnce(SAMPLE_PAGE, 'Threat ×0.95', 'Threat ×?');
    text = replaceOnce(text, 'Dynamic Tool Use\n0.60', 'Dynamic Tool Use\nmany');
    text = replaceOnce(text, 'L3 · Agent Frameworks', 'L9 · Agent Frameworks');
    text = replaceOnce(text, '6.2AIVSS 6.2', '6.2AIVSS 7.0');
    const report = evaluate(text);
    expect(report).toMatchObject({ status: 'invalid', name: 'Relay Scribe' });
    expect(report.errors.map((e) => e.line)).toEqual([
      at('6.2AIVSS', text),
      at('Threat ×?', text),
      at('Dynamic Tool Use', text),
      at('MAESTRO 7-layer', text),
      at('L9 · Agent', text),
    ]);
    expect(report.errors[3]!.message).toMatch(/missing layer L3 \(Agent Frameworks\)/);
  });

  it('names the agent of an invalid native model too, when its name is readable', () => {
    const text = replaceOnce(VALID_MODEL_YAML, '    Dynamic Identity: 0.3\n', '');
    expect(evaluate(text)).toMatchObject({ status: 'invalid', name: 'Payments Agent', agentId: null });
  });

  it('names the agent of an invalid listing in the report', () => {
    const text = replaceOnce(SEED_LISTING, '| Persistent Memory | 0.20 |', '| Persistent Memory | 2 |');
    expect(evaluate(text)).toMatchObject({ status: 'invalid', name: 'Micro Agent', agentId: null });
  });
});

describe('detection of a page', () => {
  it('recognises a page with navigation, a title and only the score rationale', () => {
    const text = lines(SAMPLE_PAGE).slice(0, at('Scored with the canonical')).join('\n');
    expect(looksLikeListing(text)).toBe(true);
    expect(problemsOf(text)).toContainEqual({ line: null, message: expect.stringMatching(/no "MAESTRO 7-layer threat model" section/) });
  });
});
