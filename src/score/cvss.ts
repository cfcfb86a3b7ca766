import * as calculator from 'ae-cvss-calculator';

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
