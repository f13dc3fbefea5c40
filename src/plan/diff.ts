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
export function unifiedDiff(a: string, b: string, fromName: string, toName: string, context = 3): string {
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
