import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/parse/yaml.js';

const TOO_MANY = 'more than 50 YAML syntax errors: this is not a YAML or JSON file';

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

  it('still reports each of up to 50 syntax errors at its line', () => {
    const result = parseYaml('a: b\n}\nc: d\n]\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(new Set(result.problems.map((p) => p.line))).toEqual(new Set([2, 3, 4]));
  });
});
