/**
 * Pairs each model of the head with its model in the base: by agent id first, when the id is unique on both
 * sides, so a moved file is a rename; then by path, which also pairs files too broken to have an id.
 */
export interface Identified {
  file: string;
  agentId: string | null;
}

export interface Pair<T extends Identified> {
  base: T | null;
  head: T | null;
}

function uniqueIds<T extends Identified>(models: readonly T[]): Map<string, T> {
  const counts = new Map<string, number>();
  for (const m of models) if (m.agentId !== null) counts.set(m.agentId, (counts.get(m.agentId) ?? 0) + 1);
  return new Map(models.filter((m) => m.agentId !== null && counts.get(m.agentId) === 1).map((m) => [m.agentId!, m]));
}

export function matchModels<T extends Identified>(base: readonly T[], head: readonly T[]): Pair<T>[] {
  const baseById = uniqueIds(base);
  const headById = uniqueIds(head);
  const paired = new Set<T>();
  const pairs: Pair<T>[] = [];
  const pair = (b: T | null, h: T | null) => {
    if (b) paired.add(b);
    if (h) paired.add(h);
    pairs.push({ base: b, head: h });
  };
  for (const [id, h] of headById) {
    const b = baseById.get(id);
    if (b) pair(b, h);
  }
  const baseByFile = new Map(base.filter((m) => !paired.has(m)).map((m) => [m.file, m]));
  for (const h of head) {
    if (paired.has(h)) continue;
    const b = baseByFile.get(h.file);
    pair(b ?? null, h);
  }
  for (const b of base) if (!paired.has(b)) pair(b, null);
  return pairs;
}
