import { NUMBER, quote, unbold, type Line, type Reading } from './lines.js';

/**
 * The rendered page's inputs line: `CVSS base 6.0AARS uplift 1.29Factor sum 3.4/10Threat ×0.95Mitigation ×0.85`,
 * glued in a copy, separated by ` · ` in saved Markdown, or split over lines. It gives what the formula needs.
 */
export interface Inputs {
  cvss?: number;
  threatMultiplier?: number;
  mitigationFactor?: number;
  /** The factor sum as printed, to be checked against the factors; null when the line has none. */
  factorSum: { printed: string; line: number } | null;
}

type Part = 'cvss' | 'uplift' | 'factorSum' | 'threatMultiplier' | 'mitigationFactor';

const PARTS: readonly { part: Part; label: string; what: string; required: boolean }[] = [
  { part: 'cvss', label: 'cvss base', what: 'CVSS base', required: true },
  // Rounded for display (two decimals, float-style): the score is computed, so the uplift is not read.
  { part: 'uplift', label: 'aars uplift', what: 'AARS uplift', required: false },
  { part: 'factorSum', label: 'factor sum', what: 'factor sum', required: false },
  { part: 'threatMultiplier', label: 'threat', what: 'threat multiplier (Threat ×)', required: true },
  { part: 'mitigationFactor', label: 'mitigation', what: 'mitigation factor (Mitigation ×)', required: true },
];

/** ASCII letters only, so that every index stays where it was (toLowerCase can lengthen other characters). */
const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const startsWithPart = (text: string) => PARTS.some((p) => lowerAscii(unbold(text)).startsWith(p.label));

export const isInputsLine = (text: string) => lowerAscii(unbold(text)).startsWith('cvss base');
/** A later part of an inputs line that a copy split over several lines. */
export const continuesInputs = (text: string) => !isInputsLine(text) && startsWithPart(text);

const LEADING = new Set([' ', ':', '=', '×', 'x', 'X', '*', '\t']);
const TRAILING = new Set([' ', '·', '•', '|', ',', ';', '\t']);

function trimSet(text: string, leading: ReadonlySet<string>, trailing: ReadonlySet<string>): string {
  let start = 0;
  let end = text.length;
  while (start < end && leading.has(text[start]!)) start++;
  while (end > start && trailing.has(text[end - 1]!)) end--;
  return text.slice(start, end);
}

export function readInputs(lines: readonly Line[], reading: Reading): Inputs {
  const first = lines[0]!;
  const text = lines.map((l) => unbold(l.text)).join(' ');
  const lower = lowerAscii(text);
  const found = PARTS.map((p) => ({ ...p, at: lower.indexOf(p.label) }))
    .filter((p) => p.at >= 0)
    .sort((a, b) => a.at - b.at);
  const inputs: Inputs = { factorSum: null };
  for (const p of PARTS.filter((p) => p.required && !found.some((f) => f.part === p.part))) {
    reading.problem(first.number, `the inputs line has no ${p.what}`);
  }
  found.forEach((p, index) => {
    if (p.part === 'uplift') return;
    const end = found[index + 1]?.at ?? text.length;
    let value = trimSet(text.slice(p.at + p.label.length, end), LEADING, TRAILING);
    if (p.part === 'factorSum' && value.endsWith('/10')) value = value.slice(0, -3).trimEnd();
    if (!NUMBER.test(value)) {
      reading.problem(first.number, `the inputs line's ${p.what} is not a number (found ${quote(value)})`);
      return;
    }
    if (p.part === 'factorSum') {
      inputs.factorSum = { printed: value, line: first.number };
      return;
    }
    inputs[p.part] = Number(value);
    reading.record(['aivss', p.part], first.number);
  });
  return inputs;
}
