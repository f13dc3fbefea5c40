import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';

/** Whether util-linux `script` (a pseudo-terminal) is there. */
export const hasScript = spawnSync('script', ['--version']).status === 0;

/**
 * Drive the real `provision replicant` in a pseudo-terminal (util-linux
 * `script`), answering each prompt as a person would: wait for the question,
 * type, press Enter.
 */
export function converse(args: string[], steps: readonly [RegExp, string][], timeoutMs = 20_000): Promise<{ code: number | null; transcript: string; done: number }> {
  return new Promise((resolve) => {
    const command = [process.execPath, path.join(ROOT, 'bin/provision.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, TERM: 'dumb', NO_COLOR: '1' } });
    let transcript = '';
    let pending = '';
    let done = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      transcript += text;
      pending += text;
      const step = steps[done];
      if (step && step[0].test(pending)) {
        done++;
        pending = '';
        setTimeout(() => child.stdin.write(step[1]), 30);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, transcript, done });
    });
  });
}
