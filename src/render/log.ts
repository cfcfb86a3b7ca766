import { plainText } from './escape.js';

/**
 * The one writer of log and terminal lines that may carry text from a file (a key of the config, a path, a
 * parser's complaint): each message becomes one line that starts with this fixed label, then plain text, so no
 * line of the log starts with, or holds, anything the Actions runner reads as a workflow command.
 */
export const LOG_LABEL = 'aivss-gate: ';

export function logLine(message: string, maxLength = 1000): string {
  return `${LOG_LABEL}${plainText(message, maxLength)}`;
}

/** Several messages, one labelled line each, each line ended. */
export function logLines(messages: readonly string[], maxLength?: number): string {
  return messages.map((message) => `${logLine(message, maxLength)}\n`).join('');
}
