/**
 * "Did you mean": the known name closest to a misspelled one, by edit distance (insertions, deletions,
 * substitutions and swaps of two neighbouring characters each count one), ignoring case.
 */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a.toLowerCase());
  const t = Array.from(b.toLowerCase());
  // d[i][j]: the distance between the first i characters of s and the first j of t.
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[s.length]![t.length]!;
}

/** Longer than any name worth comparing: a pasted paragraph is no misspelling. */
const MAX_LENGTH = 64;

/**
 * The candidate closest to `given`, when it is close enough to be a slip: at most one edit in four characters
 * (at least one from three characters on). Ties go to the candidate listed first. `key` compares another form of each name, such as the
 * factor names without case and punctuation.
 */
export function closest(given: string, candidates: readonly string[], key: (name: string) => string = (name) => name): string | null {
  const wanted = key(given);
  if (wanted.length === 0 || wanted.length > MAX_LENGTH) return null;
  // Two characters are too few to tell a slip from another name ("L8" is not "L1"): only case is forgiven.
  const limit = wanted.length < 3 ? 0 : Math.max(1, Math.floor(wanted.length / 4));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const known = key(candidate);
    // The distance is at least the difference in length: most candidates are ruled out without computing it.
    if (Math.abs(Array.from(known).length - Array.from(wanted).length) >= bestDistance) continue;
    const distance = editDistance(wanted, known);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or nothing. */
export function didYouMean(given: string, candidates: readonly string[], key?: (name: string) => string): string {
  const match = closest(given, candidates, key);
  return match === null || match === given ? '' : ` (did you mean "${match}"?)`;
}
