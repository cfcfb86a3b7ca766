import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseThreatModel } from '../../src/parse/index.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { SECRET } from '../fixtures/index.js';

/**
 * YAML syntax errors in words of our own: one problem per line, at its line and column, that a person can act
 * on, and that never quotes the file (the yaml package's own messages quote scalars, escapes and tags).
 */

const problemsOf = (text: string, file = 'model.yaml') => {
  const result = parseThreatModel(text, file);
  return result.ok ? [] : result.problems;
};

describe('YAML mistakes', () => {
  it.each([
    [
      'an item out of line in a list',
      'waivers:\n  - model: a\n   owner: b\n',
      3,
      1,
      'bad indentation: this line is not aligned with the list items above it (or lacks its "- ")',
    ],
    ['a key out of line in a map', 'a:\n  b: 1\n c: 2\n', 3, 1, 'bad indentation: the entries of one map or list start at the same column'],
    [
      'a missing colon',
      'fail-on high\nformula: v0.8\n',
      1,
      1,
      'a missing colon, or a key that runs over several lines: write "key: value" on one line',
    ],
    ['a key without a value', 'a: 1\nb\nc: 2\n', 2, 1, 'a missing colon: a key is followed by ": " and its value'],
    ['an unclosed double quote', 'a: "hello\nb: 2\n', 3, 1, 'an unclosed double quote ("): the string runs on to the end of the file'],
    ['an unclosed single quote', "a: 'hello\nb: 2\n", 3, 1, "an unclosed single quote ('): the string runs on to the end of the file"],
    [
      'an unclosed [',
      'a: [1, 2\nb: 2\n',
      2,
      1,
      'an unclosed [: a list in brackets ends with ] (or a line inside it is not indented enough)',
    ],
    ['an unclosed {', 'a: {x: 1\nb: 2\n', 2, 1, 'an unclosed {: a map in braces ends with } (or a line inside it is not indented enough)'],
    ['a tab', 'a:\n\tb: 1\n', 2, 1, 'a tab in the indentation: YAML indents with spaces only'],
    [
      'an unknown escape',
      `a: "\\q ${SECRET}"\n`,
      1,
      5,
      'an unknown escape (a backslash and a letter) in a double-quoted string: write \\\\ for a backslash, or use single quotes',
    ],
    [
      'two colons on a line',
      'a: b: c\n',
      1,
      4,
      'a second ": " on one line: put a value that holds ": " in quotes, and a nested map on its own indented lines',
    ],
    [
      'a missing comma in braces',
      '{"a": 1 "b": 2}\n',
      1,
      7,
      'a missing comma, or an indented block, inside [...] or {...}: separate the items with commas',
    ],
    [
      'a reserved first character',
      `a: @${SECRET}\n`,
      1,
      4,
      'a value that starts with a character YAML reserves (such as @ or `): put the value in quotes',
    ],
    ['a bracket that closes nothing', `a: ]${SECRET}\n`, 1, 4, 'a ] or } that closes nothing'],
    ['a tag', `a: !${SECRET} 1\n`, 1, 4, 'YAML tags (!name) are not accepted'],
  ])('%s', (_what, text, line, column, message) => {
    expect(problemsOf(text)).toEqual([{ line, column, message }]);
  });

  it('says one thing per line, not every complaint of the parser', () => {
    const text = 'layers:\n  L1:\n    threats:\n    - id: a\n     title: b\n    - id: c\n      title: d\n   status: x\n';
    expect(problemsOf(text).map((p) => [p.line, p.column])).toEqual([
      [5, 1],
      [8, 1],
    ]);
    const gitConfig = `[core]\n\tbare = false\n[http]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`;
    expect(problemsOf(gitConfig)).toHaveLength(1);
  });
});

describe('a .json file is strict JSON', () => {
  it.each([
    ['a trailing comma in a map', '{\n  "a": 1,\n}\n', 2, 9, 'a trailing comma before }: JSON has no comma after the last item'],
    ['a trailing comma in a list', '{"a": [1, 2,\n]}\n', 1, 12, 'a trailing comma before ]: JSON has no comma after the last item'],
    ['a comment', '{"a": 1} # note\n', 1, 10, 'a # comment: JSON has no comments'],
    ['single quotes', "{'a': 1}\n", 1, 2, 'a string in single quotes: JSON strings are in double quotes'],
    ['a bare word', '{"a": yes}\n', 1, 7, 'a word that is not JSON: strings are in double quotes; true, false and null are lower case'],
    ['a leading zero', '{"a": 01}\n', 1, 7, 'a number JSON does not accept: no leading zero, no +, no bare .'],
    ['YAML block style', '- 1\n', 1, 1, 'YAML syntax in a .json file: write it as JSON, or name the file .yaml'],
  ])('%s', (_what, text, line, column, message) => {
    expect(problemsOf(text, 'threat-models/agent.threat-model.json')).toEqual([{ line, column, message }]);
    // The same text in a .yaml file is YAML, which reads all of it.
    expect(problemsOf(text, 'threat-models/agent.yaml')).toEqual([]);
  });

  it('accepts JSON as JSON, whatever the case of the extension', () => {
    expect(problemsOf('{"a": [1, -2.5e3, true, null, "x"]}\n', 'A.JSON')).toEqual([]);
  });
});

describe('no parse problem quotes the file', () => {
  const pieces = [
    '\n',
    '  ',
    '- ',
    ': ',
    '"',
    "'",
    '[',
    ']',
    '{',
    '}',
    ',',
    '#',
    '&',
    '*',
    '!',
    '@',
    '`',
    '%',
    '|',
    '\\',
    '\t',
    '---\n',
    SECRET,
  ];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));

  it('in YAML and in strict JSON, for any text', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (source, json) => {
        const result = parseYaml(source, { json });
        if (result.ok) return;
        for (const problem of result.problems) expect(problem.message).not.toContain(SECRET.slice(0, 8));
      }),
      { numRuns: 3000, seed: 8 },
    );
  });
});
