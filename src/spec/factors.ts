/**
 * The ten OWASP AIVSS agentic risk factors. Each has a stable id and every spelling that the v0.5 and v0.8
 * publications use. Slot 2 is Goal-Driven Planning in v0.5 and Natural Language Interface in v0.8: the sum is
 * unweighted, so a model names one of the two, never both.
 */
export interface FactorDef {
  readonly id: string;
  readonly slot: number;
  readonly name: string;
  readonly aliases: readonly string[];
}

export const FACTORS: readonly FactorDef[] = [
  { id: 'autonomy', slot: 1, name: 'Autonomy of Action', aliases: ['Execution Autonomy', 'Autonomy'] },
  { id: 'planning', slot: 2, name: 'Goal-Driven Planning', aliases: ['Goal Driven Planning', 'Planning'] },
  { id: 'natural-language', slot: 2, name: 'Natural Language Interface', aliases: ['Natural Language'] },
  { id: 'self-modification', slot: 3, name: 'Self-Modification', aliases: [] },
  {
    id: 'tool-use',
    slot: 4,
    name: 'Dynamic Tool Use',
    aliases: ['Tool Use', 'External Tool Control Surface'],
  },
  {
    id: 'memory',
    slot: 5,
    name: 'Persistent Memory',
    aliases: ['Memory Use', 'Persistent State Retention', 'Memory'],
  },
  { id: 'context', slot: 6, name: 'Contextual Awareness', aliases: ['Context'] },
  { id: 'identity', slot: 7, name: 'Dynamic Identity', aliases: ['Identity'] },
  { id: 'multi-agent', slot: 8, name: 'Multi-Agent Interactions', aliases: ['Multi-Agent'] },
  { id: 'non-determinism', slot: 9, name: 'Non-Determinism', aliases: ['Behavioral Non-Determinism', 'Behavioural Non-Determinism'] },
  { id: 'opacity', slot: 10, name: 'Opacity & Reflexivity', aliases: ['Opacity'] },
];

export const FACTOR_SLOTS = 10;

/** Case- and punctuation-insensitive key: "Opacity & Reflexivity" and "opacity-and-reflexivity" match. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]/g, '');
}

const byKey = new Map<string, FactorDef>();
for (const factor of FACTORS) {
  for (const spelling of [factor.id, factor.name, ...factor.aliases]) byKey.set(normalizeName(spelling), factor);
}

export function findFactor(name: string): FactorDef | undefined {
  return byKey.get(normalizeName(name));
}

/** Every accepted spelling, for the JSON Schema and error messages. */
export const FACTOR_SPELLINGS: readonly string[] = FACTORS.flatMap((f) => [f.id, f.name, ...f.aliases]);
