import type { YAMLError } from 'yaml';
import type { Problem } from '../spec/problem.js';

/**
 * YAML syntax errors in words of our own. The yaml package's messages quote the file (a scalar, an escape, a
 * tag): a config file that is really .git/config would put its token in the log. Its message is read here
 * only to choose among our sentences, and never shown; the place is the line and column.
 */
export function syntaxProblems(errors: readonly YAMLError[], placeOf: (offset: number) => { line: number; col: number }): Problem[] {
  const byLine = new Map<number, Problem>();
  for (const error of [...errors].sort((a, b) => a.pos[0] - b.pos[0])) {
    const { line, col } = placeOf(error.pos[0]);
    // The first error of a line is the one to fix; the parser's next ones there follow from it.
    if (!byLine.has(line)) byLine.set(line, { line, column: col, message: explain(error) });
  }
  return [...byLine.values()];
}

const ANCHORS = 'YAML anchors and aliases (&name, *name) are not accepted';
const TAGS = 'YAML tags (!name) are not accepted';

function explain({ code, message }: YAMLError): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'a tab in the indentation: YAML indents with spaces only';
    case 'BAD_INDENT':
      if (/end with a \]/.test(message))
        return 'an unclosed [: a list in brackets ends with ] (or a line inside it is not indented enough)';
      if (/end with a \}/.test(message)) return 'an unclosed {: a map in braces ends with } (or a line inside it is not indented enough)';
      return 'bad indentation: the entries of one map or list start at the same column';
    case 'MISSING_CHAR':
      return missingChar(message);
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a missing colon, or a key that runs over several lines: write "key: value" on one line';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a second ": " on one line: put a value that holds ": " in quotes, and a nested map on its own indented lines';
    case 'BLOCK_IN_FLOW':
      return 'a missing comma, or an indented block, inside [...] or {...}: separate the items with commas';
    case 'BAD_SCALAR_START':
      return 'a value that starts with a character YAML reserves (such as @ or `): put the value in quotes';
    case 'BAD_DQ_ESCAPE':
      return 'an unknown escape (a backslash and a letter) in a double-quoted string: write \\\\ for a backslash, or use single quotes';
    case 'UNEXPECTED_TOKEN':
      return unexpected(message);
    case 'KEY_OVER_1024_CHARS':
      return 'a key longer than 1024 characters: is a colon missing, or a line broken?';
    case 'DUPLICATE_KEY':
      return 'Map keys must be unique';
    case 'NON_STRING_KEY':
      return 'map keys must be plain strings';
    case 'MULTIPLE_DOCS':
      return 'a file holds one YAML document; found several (---)';
    case 'BAD_DIRECTIVE':
      return 'a YAML directive (a line that starts with %) that is not accepted';
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
    case 'MULTIPLE_ANCHORS':
    case 'BAD_PROP_ORDER':
      return ANCHORS;
    case 'MULTIPLE_TAGS':
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_COLLECTION_TYPE':
      return TAGS;
    default:
      return 'YAML that cannot be read: check the indentation, the colons, the quotes and the brackets';
  }
}

function missingChar(message: string): string {
  if (/closing "quote/.test(message)) return 'an unclosed double quote ("): the string runs on to the end of the file';
  if (/closing 'quote/.test(message)) return "an unclosed single quote ('): the string runs on to the end of the file";
  if (/without - indicator/.test(message))
    return 'bad indentation: this line is not aligned with the list items above it (or lacks its "- ")';
  if (/followed by map values/.test(message)) return 'a missing colon: a key is followed by ": " and its value';
  if (/Missing ,( or :)? between/.test(message)) return 'a missing comma between two items of [...] or {...}';
  if (/space after :/.test(message)) return 'a missing space after a colon';
  if (/Comments must be separated/.test(message)) return 'a # comment needs a space before it';
  if (/Tags and anchors/.test(message)) return ANCHORS;
  if (/directives-end/.test(message)) return 'a YAML directive (%) without a --- line after it';
  return 'a missing colon, quote or bracket';
}

function unexpected(message: string): string {
  if (/Unexpected , in/.test(message)) return 'an unexpected comma';
  if (/empty item/.test(message)) return 'an empty item between two commas';
  if (/flow-seq-end|flow-map-end|Unexpected [\]}] /.test(message)) return 'a ] or } that closes nothing';
  if (/Block scalar header/.test(message)) return 'unexpected characters after the | or > that starts a block of text';
  return 'unexpected text here: check the indentation and the colons on this line and the one above';
}
