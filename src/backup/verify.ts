/**
 * Check a copy against its manifest: every entry there with the same type,
 * size, SHA-256, link text and mode, and nothing more. Modification times
 * are restored but not compared (a copy read back is still the same data,
 * and some file systems keep times coarser than others).
 */
import { hashFile } from './hash-copy.js';
import { modeString, type BackupManifest, type ManifestEntry } from './manifest.js';
import { fullPath, walkTree, WalkError, type TreeEntry } from './walk.js';

export type Problem = 'missing' | 'extra' | 'type' | 'size' | 'content' | 'target' | 'mode' | 'unreadable';

/** One way a copy differs from its manifest. */
export interface Difference {
  readonly path: string;
  readonly problem: Problem;
  readonly expected?: string;
  readonly found?: string;
}

const typeName = (t: string) => (t === 'dir' ? 'directory' : t === 'symlink' ? 'symbolic link' : t === 'file' ? 'file' : 'special file');

/**
 * The differences between what the manifest lists and what a walk found.
 * `hashes` holds the SHA-256 of the files whose size matched (an unreadable
 * one maps to an Error). Pure; differences come in manifest order, extras last.
 */
export function compareTree(expected: readonly ManifestEntry[], actual: readonly TreeEntry[], hashes: ReadonlyMap<string, string | Error>): Difference[] {
  const found = new Map(actual.map((e) => [e.path, e]));
  const out: Difference[] = [];
  for (const want of expected) {
    const got = found.get(want.path);
    found.delete(want.path);
    if (got === undefined) {
      out.push({ path: want.path, problem: 'missing', expected: typeName(want.type) });
      continue;
    }
    if (got.type !== want.type) {
      out.push({ path: want.path, problem: 'type', expected: typeName(want.type), found: typeName(got.type) });
      continue;
    }
    if (want.type === 'symlink') {
      if (got.target !== want.target) out.push({ path: want.path, problem: 'target', expected: want.target, found: got.target ?? '' });
      continue;
    }
    if (want.type === 'file') {
      if (got.size !== want.size) {
        out.push({ path: want.path, problem: 'size', expected: `${want.size} bytes`, found: `${got.size} bytes` });
        continue;
      }
      const hash = hashes.get(want.path);
      if (hash instanceof Error) out.push({ path: want.path, problem: 'unreadable', found: hash.message });
      else if (hash !== want.sha256) out.push({ path: want.path, problem: 'content', expected: `sha256 ${want.sha256}`, found: `sha256 ${hash ?? '(not read)'}` });
    }
    if (modeString(got.mode) !== want.mode) out.push({ path: want.path, problem: 'mode', expected: want.mode, found: modeString(got.mode) });
  }
  for (const extra of found.values()) out.push({ path: extra.path, problem: 'extra', found: typeName(extra.type) });
  return out;
}

export interface VerifyOptions {
  /** Called with the bytes hashed so far. */
  readonly onProgress?: (bytes: number) => void;
}

/** The result of checking a tree against a manifest. */
export interface Verification {
  readonly ok: boolean;
  readonly files: number;
  readonly bytes: number;
  readonly differences: readonly Difference[];
}

/** Walk `root`, hash every file whose size matches, and compare with `manifest`. */
export function verifyTree(root: string, manifest: Pick<BackupManifest, 'entries'>, options: VerifyOptions = {}): Verification {
  let actual: TreeEntry[];
  try {
    actual = walkTree(root);
  } catch (error) {
    if (!(error instanceof WalkError)) throw error;
    return { ok: false, files: 0, bytes: 0, differences: [{ path: '.', problem: 'unreadable', found: error.message }] };
  }
  const byPath = new Map(actual.map((e) => [e.path, e]));
  const hashes = new Map<string, string | Error>();
  let bytes = 0;
  let files = 0;
  for (const want of manifest.entries) {
    if (want.type !== 'file') continue;
    const got = byPath.get(want.path);
    if (got?.type !== 'file' || got.size !== want.size) continue;
    try {
      hashes.set(want.path, hashFile(fullPath(root, want.path)).sha256);
    } catch (error) {
      hashes.set(want.path, new Error(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`));
    }
    files++;
    bytes += want.size;
    options.onProgress?.(bytes);
  }
  const differences = compareTree(manifest.entries, actual, hashes);
  return { ok: differences.length === 0, files, bytes, differences };
}

/** "content: data/app.db (expected sha256 ab…, found sha256 cd…)" */
export function describeDifference(d: Difference): string {
  const what = { missing: 'missing', extra: 'not in the manifest', type: 'wrong type', size: 'wrong size', content: 'changed', target: 'link changed', mode: 'mode changed', unreadable: 'unreadable' }[d.problem];
  const detail = d.expected !== undefined && d.found !== undefined ? ` (expected ${d.expected}, found ${d.found})` : d.found !== undefined ? ` (${d.found})` : d.expected !== undefined ? ` (a ${d.expected})` : '';
  return `${d.path}: ${what}${detail}`;
}
