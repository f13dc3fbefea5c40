import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file named DB_CONFIG below `dir` (unsorted: the read floor does the least work it can). */
export function findDbConfigs(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findDbConfigs(p, out);
    else if (e.name === 'DB_CONFIG') out.push(p);
  }
  return out;
}
