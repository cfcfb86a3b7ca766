/**
 * Pairs each model of the head with its model in the base, as git pairs files: by path first, so a file that
 * stays is the same model whatever its agent id says; then a file gone from the base with a new file of the head
 * that has the same agent id (unique among those files on both sides) is a rename. A new file that takes the agent
 * id of a model that is still there is a new model.
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
  const baseByFile = new Map(base.map((m) => [m.file, m]));
  const headFiles = new Set(head.map((m) => m.file));
  const gone = uniqueIds(base.filter((m) => !headFiles.has(m.file)));
  const added = uniqueIds(head.filter((m) => !baseByFile.has(m.file)));
  const renamedFrom = (h: T) => (h.agentId !== null && added.get(h.agentId) === h ? (gone.get(h.agentId) ?? null) : null);
  const pairs = head.map((h) => ({ base: baseByFile.get(h.file) ?? renamedFrom(h), head: h }));
  const paired = new Set(pairs.map((p) => p.base));
  return [...pairs, ...base.filter((b) => !paired.has(b)).map((b) => ({ base: b, head: null }))];
}
