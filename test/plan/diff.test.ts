/**
 * unifiedDiff against the plain Myers diff it was (kept below as the reference: a
 * copy of the trace per step), on random texts with fewer changes than the bound,
 * and on texts with many changes, which must take time and memory in their length.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_EDIT_DISTANCE, unifiedDiff } from '../../src/plan/diff.js';
import { prng } from '../helpers.js';

const reference = (() => {
  function splitLines(text: string): string[] {
    const lines = text.split(/(?<=\n)/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  type Op = { kind: ' ' | '-' | '+'; line: string };

  function diffLines(a: string[], b: string[]): Op[] {
    const n = a.length;
    const m = b.length;
    const max = n + m;
    const v = new Map<number, number>([[1, 0]]);
    const trace: Map<number, number>[] = [];
    outer: for (let d = 0; d <= max; d++) {
      trace.push(new Map(v));
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? v.get(k + 1)! : v.get(k - 1)! + 1;
        let y = x - k;
        while (x < n && y < m && a[x] === b[y]) {
          x++;
          y++;
        }
        v.set(k, x);
        if (x >= n && y >= m) break outer;
      }
    }
    const ops: Op[] = [];
    let x = n;
    let y = m;
    for (let d = trace.length - 1; d >= 0; d--) {
      const vd = trace[d]!;
      const k = x - y;
      const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1)) ? k + 1 : k - 1;
      const prevX = vd.get(prevK) ?? 0;
      const prevY = prevX - prevK;
      while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x]! }), y--;
      if (d > 0) {
        if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
        else ops.push({ kind: '-', line: a[--x]! });
      }
    }
    return ops.reverse();
  }

  function show(line: string): string {
    if (line.endsWith('\r\n')) return `${line.slice(0, -2)}\n`;
    if (line.endsWith('\n')) return line;
    return `${line}\n\\ No newline at end of file\n`;
  }

  /** A unified diff from `a` to `b`, or '' when they are equal. */
  function referenceDiff(a: string, b: string, fromName: string, toName: string, context = 3): string {
    if (a === b) return '';
    const ops = diffLines(splitLines(a), splitLines(b));
    let out = `--- ${fromName}\n+++ ${toName}\n`;
    let i = 0;
    while (i < ops.length) {
      while (i < ops.length && ops[i]!.kind === ' ') i++;
      if (i >= ops.length) break;
      const start = Math.max(0, i - context);
      let end = i;
      // Extend the hunk while changes are within 2*context lines of each other.
      while (end < ops.length) {
        let j = end;
        while (j < ops.length && ops[j]!.kind !== ' ') j++;
        let k = j;
        while (k < ops.length && ops[k]!.kind === ' ') k++;
        end = j;
        if (k >= ops.length || k - j > 2 * context) {
          end = Math.min(ops.length, j + context);
          break;
        }
        end = k;
      }
      let aStart = 1;
      let bStart = 1;
      for (let p = 0; p < start; p++) {
        if (ops[p]!.kind !== '+') aStart++;
        if (ops[p]!.kind !== '-') bStart++;
      }
      const hunk = ops.slice(start, end);
      const aLen = hunk.filter((o) => o.kind !== '+').length;
      const bLen = hunk.filter((o) => o.kind !== '-').length;
      out += `@@ -${aLen === 0 ? aStart - 1 : aStart},${aLen} +${bLen === 0 ? bStart - 1 : bStart},${bLen} @@\n`;
      for (const o of hunk) out += o.kind + show(o.line);
      i = end;
    }
    return out;
  }

  return referenceDiff;
})();

test('the same diff as the plain Myers diff, for random texts and contexts', () => {
  const random = prng(11);
  const words = ['a\n', 'b\n', 'c\n', 'a\r\n', 'set_cachesize 0 1 1\n', '\n', 'a', 'b'];
  const text = (n: number) => {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(words[Math.floor(random() * (i === n - 1 ? words.length : 6))]!);
    return lines.join('');
  };
  const mutate = (s: string) => {
    const lines = s.split(/(?<=\n)/);
    for (let i = Math.floor(random() * 6); i > 0; i--) {
      const at = Math.floor(random() * (lines.length + 1));
      if (random() < 0.5) lines.splice(at, 1);
      else lines.splice(at, 0, words[Math.floor(random() * 6)]!);
    }
    return lines.join('');
  };
  let compared = 0;
  for (let i = 0; i < 3000; i++) {
    const a = text(Math.floor(random() * 40));
    const b = random() < 0.3 ? text(Math.floor(random() * 40)) : mutate(a);
    const context = Math.floor(random() * 5);
    const expected = reference(a, b, 'x', 'y', context);
    assert.is(unifiedDiff(a, b, 'x', 'y', context), expected, JSON.stringify([a, b, context]));
    if (expected !== '') compared++;
  }
  assert.ok(compared > 2500, `${compared} diffs`);
  // Long texts with changes just under the bound, far apart: many hunks.
  const long = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`);
  const changed = long.map((l, i) => (i % 11 === 0 ? `changed ${l}` : l));
  const changes = long.filter((_, i) => i % 11 === 0).length * 2;
  assert.ok(changes < MAX_EDIT_DISTANCE, `${changes} changes`);
  assert.is(unifiedDiff(long.join(''), changed.join(''), 'x', 'y'), reference(long.join(''), changed.join(''), 'x', 'y'));
});

test('20,000 changed lines: the changed range as removed then added lines (memory bounded by MAX_EDIT_DISTANCE)', () => {
  const n = 20_000;
  const before = `# head\n${'rep_set_priority=1\n'.repeat(n)}# tail\n`;
  const after = `# head\n${'rep_set_priority 1\n'.repeat(n)}# tail\n`;
  const d = unifiedDiff(before, after, 'a/DB_CONFIG', 'b/DB_CONFIG');
  assert.is(d, `--- a/DB_CONFIG\n+++ b/DB_CONFIG\n@@ -1,${n + 2} +1,${n + 2} @@\n # head\n${'-rep_set_priority=1\n'.repeat(n)}${'+rep_set_priority 1\n'.repeat(n)} # tail\n`);
  // Interleaved changes over the bound, with common lines between them: one hunk over the changed range.
  const lines = Array.from({ length: n }, (_, i) => `set_cachesize 0 ${i} 1\n`);
  const other = lines.map((l, i) => (i % 2 === 0 ? l.replace('set_', 'SET_') : l));
  const d2 = unifiedDiff(`x\n${lines.join('')}`, `x\n${other.join('')}`, 'a', 'b', 1);
  const body = d2.split('\n').slice(3, -1);
  assert.is(d2.split('\n')[2], `@@ -1,${n + 1} +1,${n + 1} @@`);
  assert.is(body.filter((l) => l.startsWith('-')).length, n - 1, 'all but the common last line');
  assert.is(body.filter((l) => l.startsWith('+')).length, n - 1);
  assert.is(body[0], ' x');
  // Applying the diff's + and context lines gives the new text.
  assert.is(body.filter((l) => !l.startsWith('-')).map((l) => `${l.slice(1)}\n`).join(''), `x\n${other.join('')}`);
});

test.run();
