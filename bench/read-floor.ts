/**
 * The read floor: walk a tree and read every file named DB_CONFIG, nothing
 * else. Run as its own process (`node dist/bench/read-floor.js DIR`), so its
 * time includes Node's start-up just as `provision lint DIR` does; lint cannot
 * be faster than this. Prints `{ files, bytes }` as JSON.
 */
import * as fs from 'node:fs';
import { findDbConfigs } from './tree.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node dist/bench/read-floor.js DIR\n');
  process.exit(2);
}
let bytes = 0;
const files = findDbConfigs(dir);
for (const file of files) bytes += fs.readFileSync(file).length;
process.stdout.write(`${JSON.stringify({ files: files.length, bytes })}\n`);
