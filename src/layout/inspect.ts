import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiskFacts, PathFact } from './plan.js';
import type { ResolvedLayout } from './resolve.js';

/**
 * Look at every path of a layout on this machine (the I/O edge of planning):
 * each component from the file-system root down, without following links, so
 * a link anywhere on the way is seen. Missing paths stop the walk.
 */
export function inspectLayout(layout: ResolvedLayout): DiskFacts {
  const paths = new Map<string, PathFact>();
  const look = (p: string): PathFact => {
    const known = paths.get(p);
    if (known) return known;
    const parent = path.dirname(p);
    const above = parent === p ? undefined : look(parent);
    let fact: PathFact;
    if (above && above.state !== 'dir') fact = { state: 'missing', ...(above.link ? { link: above.link } : {}) };
    else {
      try {
        const stat = fs.lstatSync(p);
        if (stat.isSymbolicLink()) {
          let target: string;
          try {
            target = fs.readlinkSync(p);
          } catch {
            target = '?';
          }
          let followed: fs.Stats | undefined;
          try {
            followed = fs.statSync(p);
          } catch {
            followed = undefined;
          }
          fact = { state: followed === undefined ? 'missing' : followed.isDirectory() ? 'dir' : followed.isFile() ? 'file' : 'other', link: above?.link ?? { path: p, target } };
        } else {
          fact = { state: stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other', ...(above?.link ? { link: above.link } : {}), ...(stat.isDirectory() ? { mode: stat.mode & 0o7777 } : {}) };
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        fact = { state: 'missing', ...(above?.link ? { link: above.link } : {}) };
      }
    }
    paths.set(p, fact);
    return fact;
  };
  for (const e of layout.entries) look(e.path);
  const m = look(layout.manifestPath);
  let bytes: Buffer | null = null;
  if (m.state === 'file' && !m.link) bytes = fs.readFileSync(layout.manifestPath);
  const device = (p: string): number => {
    let dir = p;
    while (paths.get(dir)?.state !== 'dir' && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return fs.statSync(dir).dev;
  };
  return { paths, manifest: { ...m, bytes }, devices: { data: device(layout.roots.data), backup: device(layout.roots.backup) } };
}
