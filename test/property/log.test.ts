import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/render/escape.js';

/**
 * Text from a file in a log line, as the action and the CLI write it (after a fixed label), is never read by
 * the Actions runner as a workflow command: `::command::` at the start of a line, or `##[command]` anywhere.
 */

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '#',
        '##',
        '[',
        ']',
        ':',
        '::',
        '\n',
        '\r',
        '\u2028',
        '\u0085',
        '\u2060',
        '\u200B',
        ' ',
        'error',
        'stop-commands',
        'set-output name=verdict;',
        'add-mask',
        'pass',
        'x',
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join('')),
);

describe('plainText in the log', () => {
  it('keeps one line that holds no workflow command', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 400 }), (text, maxLength) => {
        const line = `aivss-gate: ${plainText(text, maxLength)}`;
        // What the runner (and Node's readline) take for the end of a line.
        expect(line).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
        expect(line).not.toContain('##[');
        expect(line.trimStart().startsWith('::')).toBe(false);
      }),
      { numRuns: 5000, seed: 41 },
    );
  });

  it('leaves the text readable: only an invisible word joiner is added', () => {
    expect(plainText('threat-models/##[stop-commands]x.yaml')).toBe('threat-models/##\u2060[stop-commands]x.yaml');
  });
});
