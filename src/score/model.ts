import { FACTORS } from '../spec/factors.js';
import type { PathSegment } from '../spec/problem.js';
import type { ThreatModel } from '../validate/schema.js';
import {
  DEFAULT_MITIGATION,
  DEFAULT_THREAT_MULTIPLIER,
  aivss,
  factorSum,
  mitigationFactor,
  threatMultiplier,
  type Formula,
  type Multiplier,
} from './aivss.js';
import { bandOf, type Band } from './bands.js';
import { cvssBase } from './cvss.js';

export type Source = 'model' | 'cvss-vector' | 'default';

export interface ScoredModel {
  score: number | null;
  severity: Band | null;
  cvss: { score: number; vector: string | null } | null;
  uplift: number | null;
  factorSum: number;
  factors: { id: string; name: string; value: number }[];
  threatMultiplier: Multiplier<'attacked' | 'poc' | 'unreported'> & { onTable: boolean; source: Source };
  mitigationFactor: Multiplier<'none' | 'partial' | 'strong'> & { onTable: boolean; source: Source };
  notes: { path: PathSegment[]; message: string }[];
}

const withSource = <L extends string>(m: Multiplier<L>, source: Source) => ({ ...m, onTable: m.label !== null, source });

/** Scores one validated model. Pure: same model, same formula, same result. */
export function scoreModel(model: ThreatModel, formula: Formula): ScoredModel {
  const { aivss: inputs } = model;
  const notes: ScoredModel['notes'] = [];
  const factors = FACTORS.filter((f) => inputs.factors[f.id] !== undefined).map((f) => ({
    id: f.id,
    name: f.name,
    value: inputs.factors[f.id]!,
  }));
  const sum = factorSum(factors.map((f) => f.value));
  const cvss = inputs.cvss === undefined ? null : cvssBase(inputs.cvss);

  let thm = withSource(threatMultiplier(formula, inputs.threatMultiplier ?? DEFAULT_THREAT_MULTIPLIER), 'default');
  if (inputs.threatMultiplier !== undefined) {
    thm = { ...thm, source: 'model' };
    if (cvss?.exploitMaturity && thm.label !== cvss.exploitMaturity) {
      notes.push({
        path: ['aivss', 'threatMultiplier'],
        message: `the threat multiplier (${thm.label ?? thm.value}) disagrees with the CVSS vector's E:${cvss.exploitMaturity[0]!.toUpperCase()} (${cvss.exploitMaturity}); the multiplier is used`,
      });
    }
  } else if (cvss?.exploitMaturity) {
    thm = withSource(threatMultiplier(formula, cvss.exploitMaturity), 'cvss-vector');
  }
  if (!thm.onTable)
    notes.push({
      path: ['aivss', 'threatMultiplier'],
      message: `threat multiplier ${thm.value} is off the spec's table (attacked, poc, unreported)`,
    });

  const mf = withSource(
    mitigationFactor(inputs.mitigationFactor ?? DEFAULT_MITIGATION),
    inputs.mitigationFactor === undefined ? 'default' : 'model',
  );
  if (!mf.onTable)
    notes.push({
      path: ['aivss', 'mitigationFactor'],
      message: `mitigation factor ${mf.value} is off the spec's table (none, partial, strong)`,
    });
  if (formula === 'v0.5' && inputs.mitigationFactor !== undefined) {
    notes.push({ path: ['aivss', 'mitigationFactor'], message: 'the v0.5 formula has no mitigation factor; it is ignored' });
  }

  const base = { factorSum: sum, factors, threatMultiplier: thm, mitigationFactor: mf, notes };
  if (cvss === null) {
    if (inputs.declaredScore !== undefined) {
      notes.push({
        path: ['aivss', 'declaredScore'],
        message: `the declared score ${inputs.declaredScore.toFixed(1)} is not checked: without a CVSS base there is no AIVSS score to compare`,
      });
    }
    return { ...base, score: null, severity: null, cvss: null, uplift: null };
  }

  const result = aivss(formula, { cvss: cvss.score, factorSum: sum, threatMultiplier: thm.value, mitigationFactor: mf.value });
  if (inputs.declaredScore !== undefined && inputs.declaredScore !== result.score) {
    notes.push({
      path: ['aivss', 'declaredScore'],
      message: `the declared score ${inputs.declaredScore.toFixed(1)} differs from the computed ${result.score.toFixed(1)}`,
    });
  }
  return {
    ...base,
    score: result.score,
    severity: bandOf(result.score),
    cvss: { score: cvss.score, vector: cvss.vector },
    uplift: result.uplift,
  };
}
