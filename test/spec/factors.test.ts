import { describe, expect, it } from 'vitest';
import { FACTORS, FACTOR_SLOTS, findFactor, normalizeName } from '../../src/spec/factors.js';
import { ThreatModel } from '../../src/validate/schema.js';

/** The schema's factors field on its own. */
const factorsField = ThreatModel.shape.aivss.shape.factors;

/** Every spelling aivss.md lists, with the stable id it must map to (written out here, not taken from src). */
const SPELLINGS: readonly (readonly [string, string])[] = [
  ['Autonomy of Action', 'autonomy'],
  ['Execution Autonomy', 'autonomy'],
  ['Goal-Driven Planning', 'planning'],
  ['Natural Language Interface', 'natural-language'],
  ['Self-Modification', 'self-modification'],
  ['Dynamic Tool Use', 'tool-use'],
  ['Tool Use', 'tool-use'],
  ['External Tool Control Surface', 'tool-use'],
  ['Persistent Memory', 'memory'],
  ['Memory Use', 'memory'],
  ['Persistent State Retention', 'memory'],
  ['Contextual Awareness', 'context'],
  ['Dynamic Identity', 'identity'],
  ['Multi-Agent Interactions', 'multi-agent'],
  ['Non-Determinism', 'non-determinism'],
  ['Behavioral Non-Determinism', 'non-determinism'],
  ['Opacity & Reflexivity', 'opacity'],
  ['Opacity and Reflexivity', 'opacity'],
];

/** The same name written the ways real files write it: case, separators, "&" for "and" and back. */
function variants(name: string): string[] {
  return [
    name.toLowerCase(),
    name.toUpperCase(),
    name.replace(/[\s-]+/g, '_'),
    name.replace(/[\s-]+/g, '-').toLowerCase(),
    name.replace(/[\s-]+/g, ''),
    `  ${name}  `,
    name.replace(/ and /g, ' & ').replace(/ & /g, '&'),
    name.replace(/&/g, 'and'),
  ];
}

const V05 = {
  'Autonomy of Action': 0.7,
  'Goal-Driven Planning': 0.6,
  'Self-Modification': 0.2,
  'Dynamic Tool Use': 0.7,
  'Persistent Memory': 0.2,
  'Contextual Awareness': 0.5,
  'Dynamic Identity': 0.1,
  'Multi-Agent Interactions': 0.3,
  'Non-Determinism': 0.6,
  'Opacity & Reflexivity': 0.5,
};

const V08 = {
  'Execution Autonomy': 0.7,
  'Natural Language Interface': 0.6,
  'Self-Modification': 0.2,
  'External Tool Control Surface': 0.7,
  'Persistent State Retention': 0.2,
  'Contextual Awareness': 0.5,
  'Dynamic Identity': 0.1,
  'Multi-Agent Interactions': 0.3,
  'Behavioral Non-Determinism': 0.6,
  'Opacity & Reflexivity': 0.5,
};

const ids = (record: Record<string, number>) => Object.keys(record).sort();

function refusal(record: Record<string, unknown>): string {
  const result = factorsField.safeParse(record);
  expect(result.success, `${JSON.stringify(record)} should be refused`).toBe(false);
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
}

const without = (record: Record<string, number>, name: string) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== name));

describe('factor names', () => {
  it.each(SPELLINGS)('"%s" is %s', (name, id) => {
    expect(findFactor(name)?.id).toBe(id);
  });

  it.each(SPELLINGS.flatMap(([name, id]) => variants(name).map((v) => [v, id] as const)))('"%s" is %s', (name, id) => {
    expect(findFactor(name)?.id).toBe(id);
  });

  it('treats "&" as "and", and ignores case and punctuation', () => {
    expect(normalizeName('Opacity & Reflexivity')).toBe(normalizeName('opacity-and-reflexivity'));
    expect(normalizeName('Multi-Agent Interactions')).toBe(normalizeName('MULTI_AGENT_INTERACTIONS'));
  });

  it.each([
    'Autonomy of Reaction',
    'Planning Goals',
    'Tool Usage',
    'Opacity & Reflection',
    'Factor 11',
    '',
    '&',
    'constructor',
    '__proto__',
    'toString',
  ])('does not know "%s"', (name) => {
    expect(findFactor(name)).toBeUndefined();
  });

  it('has ten slots, each filled by one factor (two for slot 2), with unique ids', () => {
    expect(FACTOR_SLOTS).toBe(10);
    expect(new Set(FACTORS.map((f) => f.id)).size).toBe(FACTORS.length);
    expect([...new Set(FACTORS.map((f) => f.slot))].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(
      FACTORS.filter((f) => f.slot === 2)
        .map((f) => f.id)
        .sort(),
    ).toEqual(['natural-language', 'planning']);
  });
});

describe('the factors of a model', () => {
  it('accepts the v0.5 names and keys them by id', () => {
    const parsed = factorsField.parse(V05);
    expect(ids(parsed)).toEqual(
      [
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
      ].sort(),
    );
    expect(parsed.autonomy).toBe(0.7);
    expect(parsed.opacity).toBe(0.5);
  });

  it('accepts the v0.8 names, with Natural Language Interface in place of Goal-Driven Planning', () => {
    const parsed = factorsField.parse(V08);
    expect(parsed['natural-language']).toBe(0.6);
    expect(parsed.planning).toBeUndefined();
    expect(Object.keys(parsed)).toHaveLength(10);
  });

  it('accepts any mix of spellings, case and punctuation', () => {
    const parsed = factorsField.parse({
      autonomy: 0.1,
      'goal driven planning': 0.2,
      SELF_MODIFICATION: 0.3,
      'tool-use': 0.4,
      'Memory Use': 0.5,
      contextualawareness: 0.6,
      'Dynamic identity': 0.7,
      'multi agent interactions': 0.8,
      'Behavioural Non-Determinism': 0.9,
      'opacity and reflexivity': 1,
    });
    expect(parsed).toEqual({
      autonomy: 0.1,
      planning: 0.2,
      'self-modification': 0.3,
      'tool-use': 0.4,
      memory: 0.5,
      context: 0.6,
      identity: 0.7,
      'multi-agent': 0.8,
      'non-determinism': 0.9,
      opacity: 1,
    });
  });

  it('refuses an unknown factor, naming it', () => {
    const message = refusal({ ...without(V05, 'Dynamic Identity'), 'Dynamic Identification': 0.1 });
    expect(message).toContain('unknown factor "Dynamic Identification"');
    expect(message).toMatch(/^Dynamic Identification: /m);
  });

  it('refuses an eleventh, unknown factor', () => {
    expect(refusal({ ...V05, Creativity: 0.5 })).toContain('unknown factor "Creativity"');
  });

  it.each([
    ['Autonomy of Action', 'Execution Autonomy'],
    ['Opacity & Reflexivity', 'opacity-and-reflexivity'],
    ['Dynamic Tool Use', 'External Tool Control Surface'],
    ['Persistent Memory', 'memory'],
  ])('refuses two spellings of one factor: "%s" and "%s"', (name, other) => {
    expect(refusal({ ...V05, [other]: 0.5 })).toMatch(/repeats/);
    // Even when the first spelling is taken out of the other nine, the pair stays refused.
    expect(refusal({ ...without(V05, name), [name]: 0.1, [other]: 0.1 })).toMatch(/repeats/);
  });

  it('refuses Goal-Driven Planning together with Natural Language Interface', () => {
    const message = refusal({ ...V05, 'Natural Language Interface': 0.5 });
    expect(message).toContain('Natural Language Interface');
    expect(message).toContain('Goal-Driven Planning');
    expect(message).toMatch(/repeats/);
  });

  it.each(Object.keys(V05))('refuses a model without "%s", naming it', (name) => {
    const message = refusal(without(V05, name));
    expect(message).toContain('exactly 10 factors');
    expect(message).toContain(`missing: ${findFactor(name)!.name}`);
  });

  it('refuses a model with no factors at all', () => {
    expect(refusal({})).toContain('missing: Autonomy of Action (autonomy), Goal-Driven Planning (planning)');
  });

  it.each([0, 1, 0.5, 0.05, 0.999])('accepts the value %d', (value) => {
    expect(factorsField.parse({ ...V05, 'Self-Modification': value })['self-modification']).toBe(value);
  });

  it.each([
    ['below 0', -0.1],
    ['above 1', 1.1],
    ['a whole percentage', 70],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['negative zero', -0],
    ['a numeric string', '0.5'],
    ['a word', 'high'],
    ['null', null],
    ['a boolean', true],
    ['a list', [0.5]],
  ])('refuses a value that is %s', (_what, value) => {
    expect(refusal({ ...V05, 'Self-Modification': value })).toMatch(/^Self-Modification: /m);
  });
});
