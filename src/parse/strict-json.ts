import { CST, Lexer } from 'yaml';
import type { Problem } from '../spec/problem.js';

/** A file named .json is JSON, even though YAML would read more (a trailing comma, a comment, bare words). */
export const isJsonFile = (file: string) => /\.json$/i.test(file);

const JSON_WORD = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)$/;

/**
 * Null when the text is strict JSON; else the first place where it is not, in words that quote nothing from
 * the file. Called on text that YAML has read without an error, so the YAML tokens mark where JSON differs.
 */
export function strictJsonProblem(text: string, placeOf: (offset: number) => { line: number; col: number }): Problem | null {
  try {
    JSON.parse(text);
    return null;
  } catch {
    // Node's message quotes the text: find the place from the tokens instead.
  }
  const at = (offset: number, message: string): Problem => ({ ...lineAndColumn(placeOf(offset)), message });
  const tokens = sourceTokens(text);
  for (const [i, token] of tokens.entries()) {
    if (token.type === 'comma') {
      const next = tokens.slice(i + 1).find((t) => t.type !== 'space' && t.type !== 'newline');
      if (next?.type === 'flow-seq-end' || next?.type === 'flow-map-end') {
        return at(
          token.offset,
          `a trailing comma before ${next.type === 'flow-seq-end' ? ']' : '}'}: JSON has no comma after the last item`,
        );
      }
    }
    if (token.type === 'comment') return at(token.offset, 'a # comment: JSON has no comments');
    if (token.type === 'single-quoted-scalar') return at(token.offset, 'a string in single quotes: JSON strings are in double quotes');
    if (token.type === 'plain-scalar' && !JSON_WORD.test(token.source)) {
      if (/^[-+.\d]/.test(token.source)) return at(token.offset, 'a number JSON does not accept: no leading zero, no +, no bare .');
      return at(token.offset, 'a word that is not JSON: strings are in double quotes; true, false and null are lower case');
    }
    if (token.type !== null && YAML_ONLY.has(token.type))
      return at(token.offset, 'YAML syntax in a .json file: write it as JSON, or name the file .yaml');
  }
  return { line: 1, message: 'not valid JSON: write it as JSON, or name the file .yaml' };
}

const lineAndColumn = ({ line, col }: { line: number; col: number }) => ({ line, column: col });

const YAML_ONLY = new Set([
  'seq-item-ind',
  'explicit-key-ind',
  'block-scalar-header',
  'doc-start',
  'doc-end',
  'directive-line',
  'anchor',
  'tag',
  'alias',
]);

interface SourceToken {
  type: ReturnType<typeof CST.tokenType> | 'plain-scalar';
  source: string;
  offset: number;
}

/** The lexer's tokens with their offsets; its control markers are not source text, but the scalar one marks a plain scalar. */
function sourceTokens(text: string): SourceToken[] {
  const tokens: SourceToken[] = [];
  let offset = 0;
  let plain = false;
  for (const source of new Lexer().lex(text)) {
    if (source === CST.SCALAR) {
      plain = true;
      continue;
    }
    if (source === CST.DOCUMENT || source === CST.FLOW_END) continue;
    tokens.push({ type: plain ? 'plain-scalar' : CST.tokenType(source), source, offset });
    plain = false;
    offset += source.length;
  }
  return tokens;
}
