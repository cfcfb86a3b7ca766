import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CVSS4_PATTERN, cvssBase, vectorProblems, type ExploitMaturity } from '../../src/score/cvss.js';
import { ThreatModel } from '../../src/validate/schema.js';
import { BASE_METRICS, baseOnly, cvssRows, metricNames } from '../fixtures/index.js';

const rows = cvssRows();
const isBaseOnly = (vector: string) => metricNames(vector).length === BASE_METRICS.length;
const baseRows = rows.filter((r) => isBaseOnly(r.vector));
const extendedRows = rows.filter((r) => !isBaseOnly(r.vector));
const expectedBase = new Map(baseRows.map((r) => [r.vector, r.score]));

const MATURITY: Record<string, ExploitMaturity | null> = { A: 'attacked', P: 'poc', U: 'unreported', X: null };
const exploitMaturityOf = (vector: string) => /\/E:([XAPU])(?=\/|$)/.exec(vector)?.[1];

/** The schema's cvss field on its own. */
const cvssField = ThreatModel.shape.aivss.shape.cvss;

const CRITICAL = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('the CVSS v4.0 test vectors', () => {
  it("are all read, and all match FIRST's vectorString pattern", () => {
    expect(rows).toHaveLength(1964);
    expect(baseRows.length).toBeGreaterThan(1000);
    expect(rows.filter((r) => !CVSS4_PATTERN.test(r.vector)).map((r) => r.vector)).toEqual([]);
  });
});

describe('cvssBase: vectors with base metrics only score as the reference', () => {
  it.each(baseRows.map((r) => [r.vector, r.score] as const))('%s = %d', (vector, score) => {
    expect(cvssBase(vector)).toEqual({ score, vector, exploitMaturity: null });
  });
});

describe('cvssBase: vectors with threat, environmental or supplemental metrics give the base-only score', () => {
  it.each(extendedRows.map((r) => [r.vector, r.score] as const))('%s', (vector) => {
    const result = cvssBase(vector);
    const stripped = baseOnly(vector);
    expect(result.vector).toBe(vector);
    expect(result.score).toBe(cvssBase(stripped).score);
    const known = expectedBase.get(stripped);
    if (known !== undefined) expect(result.score).toBe(known);
    const e = exploitMaturityOf(vector);
    expect(result.exploitMaturity).toBe(e === undefined ? null : MATURITY[e]);
  });

  it('covers every exploit maturity, and the E: vectors do not all score as their full vector', () => {
    const withE = extendedRows.filter((r) => exploitMaturityOf(r.vector) !== undefined);
    expect(new Set(withE.map((r) => exploitMaturityOf(r.vector)))).toEqual(new Set(['A', 'P', 'U']));
    // E:U lowers the full score: a wiring that took the full score instead of CVSS-B would show here.
    const differing = withE.filter((r) => cvssBase(r.vector).score !== r.score);
    expect(differing.length).toBeGreaterThan(100);
  });

  it('reads E:A, E:P, E:U and E:X', () => {
    expect(cvssBase(`${CRITICAL}/E:A`).exploitMaturity).toBe('attacked');
    expect(cvssBase(`${CRITICAL}/E:P`).exploitMaturity).toBe('poc');
    expect(cvssBase(`${CRITICAL}/E:U`).exploitMaturity).toBe('unreported');
    expect(cvssBase(`${CRITICAL}/E:X`).exploitMaturity).toBeNull();
    expect(cvssBase(`${CRITICAL}/E:U/CR:H`).exploitMaturity).toBe('unreported');
  });

  it('does not read RE: (a supplemental metric) as E:', () => {
    expect(cvssBase(`${CRITICAL}/RE:H`).exploitMaturity).toBeNull();
  });

  it('scores the well-known critical vector 9.3 with or without E:U', () => {
    expect(cvssBase(CRITICAL).score).toBe(9.3);
    expect(cvssBase(`${CRITICAL}/E:U`).score).toBe(9.3);
  });
});

describe('cvssBase: a number', () => {
  it('is the base score as given, with no vector and no exploit maturity', () => {
    expect(cvssBase(7.5)).toEqual({ score: 7.5, vector: null, exploitMaturity: null });
    expect(cvssBase(0)).toEqual({ score: 0, vector: null, exploitMaturity: null });
  });
});

describe("the schema's CVSS field", () => {
  const refusal = (value: unknown) => {
    const result = cvssField.safeParse(value);
    expect(result.success, `${JSON.stringify(value)} should be refused`).toBe(false);
    return result.error!.issues.map((i) => i.message).join('\n');
  };

  it.each([CRITICAL, `${CRITICAL}/E:A`, `${CRITICAL}/E:U/CR:H/IR:M/AR:L/MAV:A/MSI:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber`])(
    'accepts %s',
    (vector) => {
      expect(cvssField.safeParse(vector).success).toBe(true);
    },
  );

  it.each([0, 5.5, 10])('accepts the number %d', (n) => {
    expect(cvssField.parse(n)).toBe(n);
  });

  it.each([
    ['empty string', ''],
    ['no prefix', 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'],
    ['truncated', 'CVSS:4.0/AV:N/AC:L/AT:N'],
    ['missing a base metric', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N'],
    ['duplicated metric', `${CRITICAL}/SA:H`],
    ['duplicated E:', `${CRITICAL}/E:A/E:U`],
    ['metrics out of order', 'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'],
    ['threat metric before environmental out of order', `${CRITICAL}/CR:H/E:A`],
    ['invalid value', 'CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'],
    ['lower case', CRITICAL.toLowerCase()],
    ['trailing slash', `${CRITICAL}/`],
    ['surrounding spaces', ` ${CRITICAL} `],
    ['unknown metric', `${CRITICAL}/XX:Y`],
    ['wrong version', CRITICAL.replace('CVSS:4.0', 'CVSS:4.1')],
    ['a trailing newline', `${CRITICAL}\n`],
  ])('refuses a malformed vector (%s)', (_what, vector) => {
    expect(CVSS4_PATTERN.test(vector)).toBe(false);
    expect(refusal(vector)).toMatch(/not a valid CVSS v4\.0 vector/);
  });

  it.each(['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'])(
    'refuses the CVSS 3.x vector %s, explaining that v4.0 is needed',
    (vector) => {
      const message = refusal(vector);
      expect(message).toMatch(/CVSS 3\.x/);
      expect(message).toContain('v4.0');
    },
  );

  it.each([
    ['below 0', -0.1],
    ['above 10', 10.1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['negative zero', -0],
    ['a numeric string', '9.3'],
    ['null', null],
    ['a boolean', true],
  ])('refuses %s', (_what, value) => {
    refusal(value);
  });
});

describe('vectorProblems', () => {
  const vectors = rows.map((row) => row.vector);

  it('finds nothing wrong exactly where FIRST pattern matches: on every published vector and on mutations of them', () => {
    for (const vector of vectors) expect(vectorProblems(vector)).toEqual([]);
    const mutation = fc
      .tuple(fc.constantFrom(...vectors), fc.nat(), fc.constantFrom('', '/', ':', 'A', 'X', 'n', 'AV:N/', 'Clear'))
      .map(([vector, at, insert]) => {
        const cut = at % (vector.length + 1);
        return vector.slice(0, cut) + insert + vector.slice(cut + (at % 3));
      });
    fc.assert(
      fc.property(mutation, (vector) => {
        const problems = vectorProblems(vector);
        expect(problems.length === 0).toBe(CVSS4_PATTERN.test(vector));
        for (const problem of problems) expect(problem).toMatch(/^(not a valid CVSS v4\.0 vector: |a CVSS 3\.x vector)/);
      }),
      { numRuns: 2000 },
    );
  });
});
