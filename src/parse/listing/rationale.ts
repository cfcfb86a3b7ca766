import Big from 'big.js';
import { factorSum } from '../../score/aivss.js';
import { FACTOR_SLOTS, findFactor } from '../../spec/factors.js';
import { FORBIDDEN_KEYS } from '../yaml.js';
import { continuesInputs, isInputsLine, readInputs, type Inputs } from './inputs.js';
import { NUMBER, quote, type Line, type Reading } from './lines.js';

/**
 * The score rationale: the ten factors, as table rows (`| Autonomy of Action | 0.70 | |`) or as a name line
 * followed by a value line, and on a rendered page the inputs line. The formula line and the footnote are prose.
 */
export interface Rationale {
  factors: Record<string, number>;
  inputs: Omit<Inputs, 'factorSum'>;
}

const SEPARATOR_CELL = /^:?-{2,}:?$/;

function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split('|').map((c) => c.trim());
}

/** "Autonomy of Action 0.40" or "Autonomy of Action0.40": a factor name with its value glued on, or null. */
function gluedFactor(text: string): { name: string; value: string } | null {
  let start = text.length;
  while (start > 0 && /[\d.]/.test(text[start - 1]!)) start--;
  const name = text.slice(0, start).trim();
  const value = text.slice(start);
  return NUMBER.test(value) && findFactor(name) ? { name, value } : null;
}

export function readRationale(heading: Line, lines: readonly Line[], reading: Reading): Rationale {
  const factors: Record<string, number> = {};
  let refused = false;
  const factor = (name: string, value: string, line: number) => {
    // `factors.__proto__ = 0.4` would set nothing: the row would vanish and an eleventh row pass unseen.
    if (FORBIDDEN_KEYS.has(name)) {
      refused = true;
      reading.problem(line, `unknown factor ${quote(name)}`);
    } else if (Object.hasOwn(factors, name)) {
      refused = true;
      reading.problem(line, `factor ${quote(name)} is listed twice`);
    } else if (!NUMBER.test(value)) {
      refused = true;
      reading.problem(line, `factor ${quote(name)} has no numeric value (found ${quote(value)})`);
      // Holds the factor's place, so that validation reports the factors that are really missing, and no other.
      factors[name] = 0;
      reading.skip(['aivss', 'factors', name]);
    } else {
      factors[name] = Number(value);
      reading.record(['aivss', 'factors', name], line);
    }
  };

  reading.record(['aivss'], heading.number);
  reading.record(['aivss', 'factors'], heading.number);
  let inputs: Inputs = { factorSum: null };
  let firstRow = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (line.text.startsWith('|')) {
      const row = cells(line.text);
      if (row.every((cell) => SEPARATOR_CELL.test(cell))) continue;
      const [name = '', value = ''] = row;
      // A header row, such as | Factor | Value | Rationale |; a first row that names a factor is data.
      const header = firstRow && !NUMBER.test(value) && !findFactor(name);
      firstRow = false;
      if (!header) factor(name, value, line.number);
    } else if (isInputsLine(line.text)) {
      let end = i + 1;
      while (end < lines.length && continuesInputs(lines[end]!.text)) end++;
      inputs = readInputs(lines.slice(i, end), reading);
      i = end - 1;
    } else if (NUMBER.test(line.text)) {
      refused = true;
      reading.problem(line.number, `a value with no factor name above it (found ${quote(line.text)})`);
    } else if (next && NUMBER.test(next.text) && !next.text.startsWith('|')) {
      factor(line.text, next.text, line.number);
      i++;
    } else if (findFactor(line.text)) {
      factor(line.text, next?.text ?? '', line.number);
    } else {
      const glued = gluedFactor(line.text);
      if (glued) factor(glued.name, glued.value, line.number);
    }
  }

  if (Object.keys(factors).length === 0 && !refused) {
    reading.problem(heading.number, 'the score rationale has no factors (table rows, or a name line and a value line each)');
    reading.skip(['aivss', 'factors']);
  }
  const { factorSum: printed, ...formula } = inputs;
  // With a factor refused or missing, a wrong sum says nothing more than the problems already reported.
  const values = Object.values(factors);
  if (printed && !refused && values.length === FACTOR_SLOTS) checkFactorSum(printed, values, reading);
  return { factors, inputs: formula };
}

/** The printed factor sum must be the sum of the rows, to the decimals it prints. */
function checkFactorSum(printed: { printed: string; line: number }, values: readonly number[], reading: Reading): void {
  if (values.some((v) => !(v >= 0 && v <= 1))) return; // validation reports the value itself
  const sum = new Big(factorSum(values));
  const decimals = printed.printed.split('.')[1]?.length ?? 0;
  if (sum.round(decimals, Big.roundHalfUp).eq(new Big(printed.printed))) return;
  reading.problem(printed.line, `the inputs line gives factor sum ${printed.printed}, but the factors add up to ${sum.toString()}`);
}
