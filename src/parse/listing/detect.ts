import { HEADING_WORDS, MAESTRO, RATIONALE, plain, titleName } from './lines.js';

/**
 * A listing has a title line and one of its two section headings, or both headings. The title alone is not enough,
 * because a native YAML file may open with a comment such as `# Payments agent — agentic threat model`. A rendered
 * page has navigation text above its title, so the title is looked for in every line above the first heading.
 */
export function looksLikeListing(text: string): boolean {
  // A native model has neither heading: one scan says so, where splitting 1 MiB into lines and reading each does not.
  if (!HEADING_WORDS.test(text)) return false;
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map(plain);
  const firstHeading = lines.findIndex((l) => RATIONALE.test(l) || MAESTRO.test(l));
  if (firstHeading < 0) return false;
  const rationale = lines.some((l) => RATIONALE.test(l));
  const maestro = lines.some((l) => MAESTRO.test(l));
  const title = lines.slice(0, firstHeading).some((l) => titleName(l) !== null);
  return title || (rationale && maestro);
}
