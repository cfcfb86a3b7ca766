import Big from 'big.js';
import type { MitigationLevel, ThreatMultiplierLabel } from '../validate/schema.js';

/**
 * The OWASP AIVSS formula, computed in decimal so that half-up rounding is exact
 * (binary floats turn 8.65 into 8.6499..., which must round to 8.7).
 */
export const FORMULAS = ['v0.8', 'v0.5'] as const;
export type Formula = (typeof FORMULAS)[number];

const THREAT_MULTIPLIER_TABLE: Readonly<Record<Formula, Readonly<Record<ThreatMultiplierLabel, number>>>> = {
  'v0.8': { attacked: 1.0, poc: 0.97, unreported: 0.5 },
  'v0.5': { attacked: 1.0, poc: 0.97, unreported: 0.91 },
};
const MITIGATION_TABLE: Readonly<Record<MitigationLevel, number>> = { none: 1.0, partial: 0.83, strong: 0.67 };

export const DEFAULT_THREAT_MULTIPLIER: ThreatMultiplierLabel = 'poc';
export const DEFAULT_MITIGATION: MitigationLevel = 'none';

export interface Multiplier<Label extends string> {
  value: number;
  /** The spec's table entry this value is, or null when the value is off the table. */
  label: Label | null;
}

function resolve<Label extends string>(table: Readonly<Record<Label, number>>, given: Label | number): Multiplier<Label> {
  if (typeof given === 'string') return { value: table[given], label: given };
  const label = (Object.keys(table) as Label[]).find((key) => table[key] === given) ?? null;
  return { value: given, label };
}

export function threatMultiplier(formula: Formula, given: ThreatMultiplierLabel | number): Multiplier<ThreatMultiplierLabel> {
  return resolve(THREAT_MULTIPLIER_TABLE[formula], given);
}

export function mitigationFactor(given: MitigationLevel | number): Multiplier<MitigationLevel> {
  return resolve(MITIGATION_TABLE, given);
}

/** Sum of the factors in decimal, so ten values of 0.1 give exactly 1. */
export function factorSum(values: readonly number[]): number {
  return values.reduce((sum, value) => sum.plus(new Big(value)), new Big(0)).toNumber();
}

export interface AivssInputs {
  cvss: number;
  factorSum: number;
  threatMultiplier: number;
  mitigationFactor: number;
}

export interface AivssResult {
  score: number;
  /** The agentic uplift AARS added to the CVSS base (v0.8), rounded half-up to two decimals; null under v0.5. */
  uplift: number | null;
}

const TEN = new Big(10);

function roundScore(raw: Big): number {
  const rounded = raw.round(1, Big.roundHalfUp);
  if (rounded.gt(TEN)) return 10;
  if (rounded.lt(0)) return 0;
  return rounded.toNumber();
}

export function aivss(formula: Formula, inputs: AivssInputs): AivssResult {
  const cvss = new Big(inputs.cvss);
  const sum = new Big(inputs.factorSum);
  const thm = new Big(inputs.threatMultiplier);
  if (formula === 'v0.5') {
    return { score: roundScore(cvss.plus(sum).div(2).times(thm)), uplift: null };
  }
  const uplift = TEN.minus(cvss).times(sum.div(10)).times(thm);
  const raw = cvss.plus(uplift).times(new Big(inputs.mitigationFactor));
  return { score: roundScore(raw), uplift: uplift.round(2, Big.roundHalfUp).toNumber() };
}
