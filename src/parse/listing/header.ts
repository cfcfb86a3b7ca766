import { NUMBER, quote, titleName, unbold, type Line, type Reading } from './lines.js';

/**
 * The part of a listing above the score rationale: navigation text (a rendered page has some, glued together,
 * before the title; it is not part of the model), the title, the page's score badge and the risk summary.
 */
export interface Header {
  name: string | null;
  description: string | null;
  /** The score the page's badge prints: the listing's own claim of its result. */
  declaredScore: number | null;
}

// `6.2AIVSS 6.2 · Medium`: the printed score glued to the badge, then the band.
const BADGE = /^(?:(\d+(?:\.\d+)?)\s*)?AIVSS\s*(\d+(?:\.\d+)?)\s*(?:[·•|:—–-]\s*)?(?:[A-Za-z]+)?$/i;
const BROKEN_BADGE = /^\d+(?:\.\d+)?\s*AIVSS\b/i;

export function readHeader(lines: readonly Line[], reading: Reading): Header {
  const titleAt = lines.findIndex((line) => titleName(line.text) !== null);
  const title = lines[titleAt];
  const name = title ? titleName(title.text) : null;
  if (!title || !name) {
    reading.problem(
      title?.number ?? lines[0]?.number ?? null,
      'a listing has a title line "<Agent name> — agentic threat model" before its score rationale',
    );
    reading.skip(['agent']);
    return { name: null, description: null, declaredScore: null };
  }
  reading.record(['agent'], title.number);
  reading.record(['agent', 'name'], title.number);

  const summary: Line[] = [];
  let declaredScore: number | null = null;
  const rest = lines.slice(titleAt + 1);
  rest.forEach((line, index) => {
    const text = unbold(line.text);
    const badge = BADGE.exec(text);
    if (badge) {
      // Saved Markdown may put the printed score on a line of its own, above the badge.
      const above = summary.at(-1);
      const printed =
        badge[1] ?? (above && above === rest[index - 1] && NUMBER.test(unbold(above.text)) ? unbold(summary.pop()!.text) : undefined);
      const score = badge[2]!;
      if (printed !== undefined && Number(printed) !== Number(score)) {
        reading.problem(line.number, `the score badge prints two scores, ${printed} and AIVSS ${score}`);
      } else if (declaredScore !== null) {
        reading.problem(line.number, 'the listing has a second score badge');
      } else {
        declaredScore = Number(score);
        reading.record(['aivss', 'declaredScore'], line.number);
      }
    } else if (BROKEN_BADGE.test(text)) {
      reading.problem(line.number, `the score badge cannot be read: expected "<score>AIVSS <score> · <band>", found ${quote(line.text)}`);
    } else {
      summary.push(line);
    }
  });
  if (summary[0]) reading.record(['agent', 'description'], summary[0].number);
  return { name, description: summary.length > 0 ? summary.map((l) => l.text).join(' ') : null, declaredScore };
}
