/**
 * Unified diff of two texts, line by line (Myers' O(ND) algorithm), in the
 * format `diff -u` prints. Line endings are compared (a CRLF-to-LF change
 * shows as a changed line) but printed as LF.
 */

function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/**
 * Beyond this many inserted and deleted lines, the changed range between the common
 * head and tail is shown as all its old lines removed, then all its new lines added:
 * Myers' trace takes memory in the square of that number.
 */
export const MAX_EDIT_DISTANCE = 1000;

function diffLines(a: string[], b: string[]): Op[] {
  // The common head: Myers' first snake takes it whole, so the rest is the same path from there.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: ' ', line: a[i]! });
  const rest = myers(a, b, head);
  if (rest !== undefined) return ops.concat(rest);
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  for (let i = head; i < a.length - tail; i++) ops.push({ kind: '-', line: a[i]! });
  for (let i = head; i < b.length - tail; i++) ops.push({ kind: '+', line: b[i]! });
  for (let i = a.length - tail; i < a.length; i++) ops.push({ kind: ' ', line: a[i]! });
  return ops;
}

/** Myers' shortest edit script from a[from..] to b[from..], or undefined when it is longer than MAX_EDIT_DISTANCE. */
function myers(a: string[], b: string[], from: number): Op[] | undefined {
  const n = a.length - from;
  const m = b.length - from;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  // v[k + offset]: the furthest x on diagonal k; -1 where none was reached.
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3).fill(-1);
  v[1 + offset] = 0;
  // trace[d]: v before step d, over the diagonals -d-1..d+1 that step d reads.
  const trace: Int32Array[] = [];
  let done = false;
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[k - 1 + offset]! < v[k + 1 + offset]!) ? v[k + 1 + offset]! : v[k - 1 + offset]! + 1;
      let y = x - k;
      while (x < n && y < m && a[from + x] === b[from + y]) {
        x++;
        y++;
      }
      v[k + offset] = x;
      if (x >= n && y >= m) {
        done = true;
        break outer;
      }
    }
  }
  if (!done) return undefined;
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const at = (k: number) => vd[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[from + --x]! }), y--;
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[from + --y]! });
      else ops.push({ kind: '-', line: a[from + --x]! });
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
export function unifiedDiff(a: string, b: string, fromName: string, toName: string, context = 3): string {
  if (a === b) return '';
  const ops = diffLines(splitLines(a), splitLines(b));
  let out = `--- ${fromName}\n+++ ${toName}\n`;
  let i = 0;
  let counted = 0;
  let aStart = 1;
  let bStart = 1;
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
    // Hunks start after the previous one ends: count the lines before it from there.
    for (; counted < start; counted++) {
      if (ops[counted]!.kind !== '+') aStart++;
      if (ops[counted]!.kind !== '-') bStart++;
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
