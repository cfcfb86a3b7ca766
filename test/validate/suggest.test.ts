import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/validate/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['severity', 'severity', 0],
    ['severty', 'severity', 1],
    ['titel', 'title', 1],
    ['kitten', 'sitting', 3],
    ['Attacked', 'attacked', 0],
    ['ca', 'abc', 3],
  ])('%j to %j is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it('is a metric: zero only for equal strings (ignoring case), symmetric, within the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a.toLowerCase() === b.toLowerCase());
        expect(d).toBeLessThanOrEqual(Math.max(Array.from(a).length, Array.from(b).length));
      }),
    );
  });
});

describe('closest', () => {
  const LEVELS = ['none', 'weak', 'partial', 'strong'];

  it('finds a slip of one character in four, and nothing farther', () => {
    expect(closest('stong', LEVELS)).toBe('strong');
    expect(closest('partail', LEVELS)).toBe('partial');
    expect(closest('medium', LEVELS)).toBeNull();
  });

  it('forgives only case in names of two characters', () => {
    expect(closest('L8', ['L1', 'L2'])).toBeNull();
    expect(closest('l1', ['L1', 'L2'])).toBe('L1');
  });

  it('compares the keys given, and ignores pasted paragraphs', () => {
    const plain = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
    expect(closest('Multi agent interaction', ['Multi-Agent Interactions'], plain)).toBe('Multi-Agent Interactions');
    expect(closest('x'.repeat(65), ['x'.repeat(64)])).toBeNull();
  });

  it('says nothing when the value is already the name', () => {
    expect(didYouMean('none', LEVELS)).toBe('');
    expect(didYouMean('None', LEVELS)).toBe(' (did you mean "none"?)');
  });
});
