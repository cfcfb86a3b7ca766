import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';

/** The most bytes a file may have, and the words that say which limit it is. */
export interface SizeLimit {
  maxBytes: number;
  label: string;
}

export const THREAT_MODEL_LIMIT = '(limits.max-file-bytes)';

/** A config file is a page of options: a larger one is refused unread. */
export const CONFIG_LIMIT: SizeLimit = { maxBytes: 1024 * 1024, label: 'for a config file' };

export const tooLarge = (size: number, limit: SizeLimit) => `is ${size} bytes, over the limit of ${limit.maxBytes} bytes ${limit.label}`;

/** `missing` is set when nothing exists at the path, which a config file may be. */
export type ReadResult = { ok: true; text: string; bytes: number } | { ok: false; message: string; missing?: true };

const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1';
const BINARY_SNIFF_BYTES = 8000;

/**
 * Reads one candidate as UTF-8 text. The file is opened without following links and without blocking, then
 * checked to be a regular file inside the root before a byte is read; its content never appears in a refusal.
 */
export async function readCandidate(root: string, file: string, limit: SizeLimit): Promise<ReadResult> {
  const absolute = path.join(root, file);
  let handle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: 'does not exist', missing: true };
    return { ok: false, message: code === 'ELOOP' ? 'symbolic links are not followed' : `cannot be opened (${code ?? 'error'})` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, message: 'not a regular file' };
    const real = await realpath(absolute);
    const realRoot = await realpath(root);
    if (!real.startsWith(realRoot + path.sep)) return { ok: false, message: 'resolves outside the repository root' };
    if (stats.size > limit.maxBytes) return { ok: false, message: tooLarge(stats.size, limit) };
    const buffer = Buffer.alloc(stats.size);
    const { bytesRead } = await handle.read(buffer, 0, stats.size, 0);
    return decode(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function decode(bytes: Uint8Array): ReadResult {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, message: 'is a binary file (it has a NUL byte)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, message: 'is not valid UTF-8 text' };
  }
  if (text.startsWith(LFS_POINTER)) {
    return { ok: false, message: 'is a Git LFS pointer, not the file: check out with LFS (actions/checkout with lfs: true)' };
  }
  return { ok: true, text, bytes: bytes.length };
}

/** A path given by a person (a flag, an input) as a path relative to root with forward slashes, or null when it leaves root. */
export function relativeInside(root: string, given: string): string | null {
  const relative = path.relative(root, path.resolve(root, given));
  // "..notes.yaml" is a file in the root; only ".." itself or "../..." climbs out.
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}
