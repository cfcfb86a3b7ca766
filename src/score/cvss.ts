import * as calculator from 'ae-cvss-calculator';
import { plainText } from '../render/escape.js';
import { editDistance } from '../validate/suggest.js';

// FIRST's cvss-v4.0.json vectorString pattern; ae-cvss-calculator scores malformed vectors instead of refusing them.
export const CVSS4_PATTERN =
  /^CVSS:4[.]0\/AV:[NALP]\/AC:[LH]\/AT:[NP]\/PR:[NLH]\/UI:[NPA]\/VC:[HLN]\/VI:[HLN]\/VA:[HLN]\/SC:[HLN]\/SI:[HLN]\/SA:[HLN](\/E:[XAPU])?(\/CR:[XHML])?(\/IR:[XHML])?(\/AR:[XHML])?(\/MAV:[XNALP])?(\/MAC:[XLH])?(\/MAT:[XNP])?(\/MPR:[XNLH])?(\/MUI:[XNPA])?(\/MVC:[XNLH])?(\/MVI:[XNLH])?(\/MVA:[XNLH])?(\/MSC:[XNLH])?(\/MSI:[XNLHS])?(\/MSA:[XNLHS])?(\/S:[XNP])?(\/AU:[XNY])?(\/R:[XAUI])?(\/V:[XDC])?(\/RE:[XLMH])?(\/U:(X|Clear|Green|Amber|Red))?$/;

export type ExploitMaturity = 'attacked' | 'poc' | 'unreported';

export interface CvssBase {
  score: number;
  vector: string | null;
  /** The vector's E: metric, when it sets one. */
  exploitMaturity: ExploitMaturity | null;
}

// The package is a UMD bundle marked __esModule: Node's ES-module loader offers its exports only as the default
// export, while a bundler offers them as the namespace itself.
const { Cvss4P0 } = 'Cvss4P0' in calculator ? calculator : (calculator as unknown as { default: typeof calculator }).default;

const MATURITY: Readonly<Record<string, ExploitMaturity>> = { A: 'attacked', P: 'poc', U: 'unreported' };

/**
 * The CVSS-B score (base metrics only) of a vector already checked against FIRST's pattern, so that a vector
 * carrying E: does not count exploit maturity twice: AIVSS applies it as the threat multiplier.
 */
export function cvssBase(given: number | string): CvssBase {
  if (typeof given === 'number') return { score: given, vector: null, exploitMaturity: null };
  const score = new Cvss4P0(given).calculateScores().baseMetricsOnly;
  if (score === undefined || !Number.isFinite(score)) throw new Error(`CVSS vector could not be scored: ${given}`);
  const maturity = /\/E:([APU])(\/|$)/.exec(given)?.[1];
  return { score, vector: given, exploitMaturity: maturity ? (MATURITY[maturity] ?? null) : null };
}

interface Metric {
  readonly name: string;
  readonly title: string;
  readonly values: readonly string[];
}

const metric = (name: string, title: string, values: string) => ({ name, title, values: values.split(',') });
const IMPACT = 'H,L,N';

/** FIRST's CVSS v4.0 metrics in their required order, with the values each takes; the first eleven are the base. */
const METRICS: readonly Metric[] = [
  metric('AV', 'Attack Vector', 'N,A,L,P'),
  metric('AC', 'Attack Complexity', 'L,H'),
  metric('AT', 'Attack Requirements', 'N,P'),
  metric('PR', 'Privileges Required', 'N,L,H'),
  metric('UI', 'User Interaction', 'N,P,A'),
  metric('VC', 'Vulnerable System Confidentiality', IMPACT),
  metric('VI', 'Vulnerable System Integrity', IMPACT),
  metric('VA', 'Vulnerable System Availability', IMPACT),
  metric('SC', 'Subsequent System Confidentiality', IMPACT),
  metric('SI', 'Subsequent System Integrity', IMPACT),
  metric('SA', 'Subsequent System Availability', IMPACT),
  metric('E', 'Exploit Maturity', 'X,A,P,U'),
  metric('CR', 'Confidentiality Requirement', 'X,H,M,L'),
  metric('IR', 'Integrity Requirement', 'X,H,M,L'),
  metric('AR', 'Availability Requirement', 'X,H,M,L'),
  metric('MAV', 'Modified Attack Vector', 'X,N,A,L,P'),
  metric('MAC', 'Modified Attack Complexity', 'X,L,H'),
  metric('MAT', 'Modified Attack Requirements', 'X,N,P'),
  metric('MPR', 'Modified Privileges Required', 'X,N,L,H'),
  metric('MUI', 'Modified User Interaction', 'X,N,P,A'),
  metric('MVC', 'Modified Vulnerable System Confidentiality', 'X,N,L,H'),
  metric('MVI', 'Modified Vulnerable System Integrity', 'X,N,L,H'),
  metric('MVA', 'Modified Vulnerable System Availability', 'X,N,L,H'),
  metric('MSC', 'Modified Subsequent System Confidentiality', 'X,N,L,H'),
  metric('MSI', 'Modified Subsequent System Integrity', 'X,N,L,H,S'),
  metric('MSA', 'Modified Subsequent System Availability', 'X,N,L,H,S'),
  metric('S', 'Safety', 'X,N,P'),
  metric('AU', 'Automatable', 'X,N,Y'),
  metric('R', 'Recovery', 'X,A,U,I'),
  metric('V', 'Value Density', 'X,D,C'),
  metric('RE', 'Vulnerability Response Effort', 'X,L,M,H'),
  metric('U', 'Provider Urgency', 'X,Clear,Green,Amber,Red'),
];
const BASE = METRICS.slice(0, 11);
const byName = new Map(METRICS.map((m, index) => [m.name, { ...m, index }]));

const PREFIX = 'CVSS:4.0/';
const quote = (text: string) => `"${plainText(text, 24)}"`;
const list = (values: readonly string[]) => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

/** The vector in FIRST's spelling: upper case except the U: values, which are capitalised words. */
function canonicalCase(vector: string): string {
  return vector.toUpperCase().replace(/\/U:(CLEAR|GREEN|AMBER|RED)$/, (_, word: string) => `/U:${word[0]}${word.slice(1).toLowerCase()}`);
}

/**
 * What is wrong with a CVSS vector, one message per mistake, naming the metric and the value; empty when it
 * matches FIRST's pattern. Every message starts with "not a valid CVSS v4.0 vector" but the CVSS 3.x one.
 */
export function vectorProblems(vector: string): string[] {
  if (CVSS4_PATTERN.test(vector)) return [];
  const invalid = (what: string) => `not a valid CVSS v4.0 vector: ${what}`;
  if (/^CVSS:3\.[01]\//i.test(vector)) {
    return [
      'a CVSS 3.x vector is not accepted: AIVSS v0.8 takes a CVSS v4.0 base score; rescore the vulnerability with a CVSS:4.0/... vector or give the v4.0 base as a number',
    ];
  }
  const trimmed = vector.trim();
  if (trimmed === '') return [invalid('the vector is empty; give a CVSS:4.0/... vector or the base score as a number from 0 to 10')];
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) {
    return [invalid(`${quote(trimmed)} is a number in quotes; write the base score without quotes: cvss: ${Number(trimmed)}`)];
  }
  // Slips with one obvious repair: spaces around it, lower case, no prefix.
  const hasPrefix = /^CVSS:/i.test(trimmed);
  const repaired = canonicalCase(hasPrefix ? trimmed : `${PREFIX}${trimmed}`);
  if (CVSS4_PATTERN.test(repaired)) {
    const slips = [
      ...(trimmed !== vector ? ['has spaces or line breaks around it'] : []),
      ...(!hasPrefix ? [`lacks the "${PREFIX}" prefix`] : []),
      ...(canonicalCase(trimmed) !== trimmed ? ['is written in lower case'] : []),
    ];
    return [invalid(`it ${slips.join(' and ')}; write "${repaired}"`)];
  }

  const problems: string[] = [];
  let body = trimmed;
  if (hasPrefix) {
    const version = /^CVSS:([^/]*)(\/|$)/i.exec(trimmed)!;
    if (version[1]!.toUpperCase() !== '4.0')
      problems.push(invalid(`the version ${quote(`CVSS:${version[1]}`)} is not 4.0; start with "${PREFIX}"`));
    body = trimmed.slice(version[0].length);
  } else {
    problems.push(invalid(`it lacks the "${PREFIX}" prefix`));
  }

  const parts = body === '' ? [] : body.split('/');
  const named = new Set(parts.map((part) => part.split(':')[0]!));
  // A misspelled metric ("AW:N") is most likely one that the vector lacks and whose values fit.
  const meant = (name: string, value: string | null) =>
    METRICS.find((m) => !named.has(m.name) && editDistance(name, m.name) === 1 && (value === null || m.values.includes(value)));
  const seen = new Set<string>();
  let last: { name: string; index: number } | null = null;
  const outOfOrder: string[] = [];
  for (const part of parts) {
    if (part === '') {
      problems.push(invalid('an empty metric: remove the extra "/"'));
      continue;
    }
    const colon = part.indexOf(':');
    const name = colon < 0 ? part : part.slice(0, colon);
    const value = colon < 0 ? null : part.slice(colon + 1);
    const def = byName.get(name);
    if (!def) {
      const upper = byName.get(name.toUpperCase());
      const guess = upper ? null : meant(name, value);
      if (guess) seen.add(guess.name);
      const hint = upper
        ? `metric names are upper case: ${upper.name}`
        : `unknown metric${guess ? ` (did you mean ${guess.name}, ${guess.title}?)` : ''}; the base metrics are ${BASE.map((m) => m.name).join('/')}`;
      problems.push(invalid(`${quote(part)}: ${hint}`));
      continue;
    }
    if (seen.has(name)) {
      problems.push(invalid(`${name} (${def.title}) is given twice`));
      continue;
    }
    seen.add(name);
    if (value === null || !def.values.includes(value)) {
      const upper = value === null ? undefined : def.values.find((v) => v.toUpperCase() === value.toUpperCase());
      const wrong = value === null ? `${name} has no value` : `${quote(`${name}:${value}`)} is not a value of ${name}`;
      problems.push(
        invalid(`${wrong}; ${name} (${def.title}) takes ${list(def.values)}${upper ? ` (did you mean ${name}:${upper}?)` : ''}`),
      );
    }
    if (last && def.index < last.index) outOfOrder.push(`${name} comes after ${last.name}`);
    else last = { name, index: def.index };
  }
  const missing = BASE.filter((m) => !seen.has(m.name));
  if (missing.length > 0) {
    problems.push(
      invalid(`missing base metric${missing.length > 1 ? 's' : ''} ${missing.map((m) => `${m.name} (${m.title})`).join(', ')}`),
    );
  }
  if (outOfOrder.length > 0) {
    const order = METRICS.map((m) => m.name).filter((n) => seen.has(n));
    const sorted = problems.length === 0 ? `; write "${sortedVector(body)}"` : '';
    problems.push(invalid(`the metrics are out of FIRST's order (${order.join('/')}): ${outOfOrder.join(', ')}${sorted}`));
  }
  return problems.length > 0 ? problems : [invalid(`expected ${PREFIX}AV:_/AC:_/AT:_/PR:_/UI:_/VC:_/VI:_/VA:_/SC:_/SI:_/SA:_`)];
}

function sortedVector(body: string): string {
  const parts = body.split('/');
  const rank = (part: string) => byName.get(part.slice(0, part.indexOf(':')))!.index;
  return PREFIX + parts.sort((a, b) => rank(a) - rank(b)).join('/');
}
