import { describe, expect, it, vi } from 'vitest';
import { Parser } from 'yaml';
import { parseYaml } from '../../src/parse/yaml.js';

const MAX_ERRORS = 50;
const TOO_MANY = `more than ${MAX_ERRORS} YAML syntax errors: this is not a YAML or JSON file`;
const TOO_MANY_PROPS = `more than ${MAX_ERRORS} YAML anchors, aliases or tags (&name, *name, !name), the first on this line: none is accepted`;

/** Junk whose every character is a syntax error: the parser stops at the 51st instead of building one error each. */
const JUNK: Record<string, string> = {
  'closing brackets': '}'.repeat(64 * 1024),
  'closing brackets on lines': '}\n'.repeat(32 * 1024),
  'commas in a flow sequence': `a: [${','.repeat(64 * 1024)}`,
  'double quotes': '"'.repeat(64 * 1024),
  'tab indentation': 'a:\n\t'.repeat(16 * 1024),
  'repeated anchors': '&a '.repeat(20 * 1024),
  'repeated tags': '!t '.repeat(20 * 1024),
};

describe('junk', () => {
  it.each(Object.entries(JUNK))('%s: one problem at the line where parsing stopped', (_, text) => {
    const result = parseYaml(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ line: expect.any(Number), message: TOO_MANY }]);
  });

  it('stops at the line of the 51st error that composing finds, inside a map too', () => {
    // A key without a colon: only composing finds it.
    const text = `top:\n${Array.from({ length: 60 }, (_, i) => `  k${i}: v\n  bare${i}\n`).join('')}`;
    expect(parseYaml(text)).toEqual({ ok: false, format: 'native', problems: [{ line: 2 + 2 * 50 + 1, message: TOO_MANY }] });
  });

  it('still reports each of up to 50 syntax errors at its line', () => {
    const result = parseYaml('a: b\n}\nc: d\n]\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(new Set(result.problems.map((p) => p.line))).toEqual(new Set([2, 3, 4]));
  });
});

/** The tokens the yaml package's parser reads before parseYaml returns: the work of parsing, without a clock. */
function tokensRead(text: string): number {
  const next = vi.spyOn(Parser.prototype, 'next');
  try {
    parseYaml(text);
    return next.mock.calls.length;
  } finally {
    next.mockRestore();
  }
}

/**
 * Junk whose errors the composer finds only once the whole file is parsed: tokens after a node, and anchors or
 * tags piled on one node. The parser counts them as they come and stops as early as at a parser error.
 */
const AFTER_A_NODE: Record<string, string> = {
  'empty strings': '""',
  'strings after a string': 'a: "x" ',
  aliases: '*a ',
  anchors: '&a ',
  tags: '!t ',
};

describe('junk the composer would find', () => {
  it.each(Object.entries(AFTER_A_NODE))('%s: parsing stops after the same few tokens in 64 KiB or 1 MiB', (_, unit) => {
    const [small, large] = [64 * 1024, 1024 * 1024].map((bytes) => tokensRead(unit.repeat(Math.ceil(bytes / unit.length))));
    expect(small).toBeGreaterThan(MAX_ERRORS);
    expect(small).toBeLessThan(10 * MAX_ERRORS);
    expect(large).toBe(small);
  });

  it.each(Object.entries(AFTER_A_NODE))('%s: one problem, more than 50 syntax errors', (_, unit) => {
    expect(parseYaml(unit.repeat(20_000))).toEqual({ ok: false, format: 'native', problems: [{ line: 1, message: TOO_MANY }] });
  });

  it('stops at a file that the composer would find has more than 50 errors, and not before', () => {
    const errors = (n: number) => `${Array.from({ length: n }, (_, i) => `k${i}: "x" "y"\n`).join('')}`;
    const fifty = parseYaml(errors(50));
    expect(fifty.ok).toBe(false);
    if (!fifty.ok) expect(fifty.problems).toHaveLength(50);
    expect(parseYaml(errors(51))).toEqual({ ok: false, format: 'native', problems: [{ line: 51, message: TOO_MANY }] });
  });

  it('an anchor and a tag on each of many nodes are no syntax error: each is refused at its line', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `- &a${i} !t${i} [&b${i} x, !u${i} &c${i} y]\n`).join('');
    // Five a line: fifty in all.
    const few = parseYaml(lines(10));
    expect(few.ok).toBe(false);
    if (few.ok) return;
    expect(few.problems).toHaveLength(20);
    expect(new Set(few.problems.map((p) => p.message))).toEqual(
      new Set(['YAML anchors (&name) are not accepted', 'YAML tags (!name) are not accepted']),
    );
    expect(new Set(few.problems.map((p) => p.line))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => i + 1)));
    expect(parseYaml(lines(60))).toEqual({ ok: false, format: 'native', problems: [{ line: 1, message: TOO_MANY_PROPS }] });
  });

  // Each costs the yaml package a node, a warning or an alias to resolve: 1 MiB of them took 2-3.5 s and 440 MB.
  it.each([
    ['anchors', '- &a x\n'],
    ['aliases', '- *a\n'],
    ['tags', '- !t x\n'],
  ])('%s on nodes of their own: parsing stops after the 51st, after the same few tokens in 64 KiB or 1 MiB', (_, unit) => {
    const text = (bytes: number) => `a: b\n${unit.repeat(Math.ceil(bytes / unit.length))}`;
    const [small, large] = [64 * 1024, 1024 * 1024].map((bytes) => tokensRead(text(bytes)));
    expect(small).toBeLessThan(20 * MAX_ERRORS);
    expect(large).toBe(small);
    expect(parseYaml(text(1024))).toEqual({ ok: false, format: 'native', problems: [{ line: 2, message: TOO_MANY_PROPS }] });
  });
});
