import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLintArgsFast } from '../../src/cli/lint-options.js';
import { filesBelow, ROOT, tempDir } from '../helpers.js';
import { provision } from './run.js';

const EXAMPLE = path.join(ROOT, 'fixtures/topology/three-sites.ini');
const RULES = path.join(ROOT, 'fixtures/topology/broken-rules.ini');
const SYNTAX = path.join(ROOT, 'fixtures/topology/broken-syntax.ini');
const show = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n${r.stdout}${r.stderr}`;

test('lint --topology: 0 for a clean file, with no DB_CONFIG linted (no default "." then)', () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = provision(['lint', '--topology', EXAMPLE], { cwd: dir });
    assert.is(r.code, 0, show(r));
    assert.is(r.stdout, '');
    assert.equal(parseLintArgsFast(['--topology', 'group.ini'])?.paths, []);
    assert.equal(parseLintArgsFast(['--topology', 'group.ini', 'DB_CONFIG'])?.paths, ['DB_CONFIG']);
    assert.equal(parseLintArgsFast([])?.paths, ['.']);
  } finally {
    cleanup();
  }
});

test('lint --topology: every problem at file:line:col in each format, exit 1', () => {
  const stylish = provision(['lint', '--topology', 'fixtures/topology/broken-rules.ini']);
  assert.is(stylish.code, 1, show(stylish));
  assert.match(stylish.stdout, /^fixtures\/topology\/broken-rules\.ini\n {3}5:27 +error +failover_order names "nowhere"/m);
  assert.match(stylish.stdout, /6 errors, 2 warnings/);
  const json = provision(['lint', '--topology', 'fixtures/topology/broken-rules.ini', '--format', 'json']);
  assert.is(json.code, 1);
  const results = JSON.parse(json.stdout) as { filePath: string; messages: { ruleId: string; line: number; column: number }[] }[];
  assert.is(results.length, 1);
  assert.equal(results[0]!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`), [
    '5:27 topology-failover-order', '8:8 topology-prefer-ipv4', '14:8 topology-duplicate-address', '14:8 topology-host-spelling',
    '14:8 topology-prefer-ipv4', '15:8 topology-one-master', '17:13 topology-backup-id', '23:13 topology-backup-id',
  ]);
  const github = provision(['lint', '--topology', 'fixtures/topology/broken-syntax.ini', '--format', 'github']);
  assert.is(github.code, 1);
  assert.equal(github.stdout.trim().split('\n').map((l) => l.split('::').slice(0, 2).join('::')), [
    '::error file=fixtures/topology/broken-syntax.ini,line=4,col=1,title=topology-syntax',
    '::error file=fixtures/topology/broken-syntax.ini,line=8,col=8,title=topology-value',
    '::error file=fixtures/topology/broken-syntax.ini,line=10,col=1,title=topology-syntax',
  ]);
  const sarif = JSON.parse(provision(['lint', '--topology', 'fixtures/topology/broken-rules.ini', '--format', 'sarif']).stdout) as { runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
  const run = sarif.runs[0]!;
  assert.match(run.tool.driver.rules.find((r) => r.id === 'topology-one-master')!.shortDescription.text, /exactly one site with role = master/);
  assert.equal(run.results[0]!.locations[0]!.physicalLocation.region, { startLine: 5, startColumn: 27 });
});

test('lint --topology: the yargs path says the same as the fast path; --quiet, --max-warnings, .provisionrc', () => {
  const fast = provision(['lint', '--topology', 'fixtures/topology/broken-rules.ini']);
  const slow = provision(['lint', '--topology', 'fixtures/topology/broken-rules.ini', '--no-group']); // --no-* is yargs' alone
  assert.is(slow.code, fast.code);
  assert.is(slow.stdout, fast.stdout);
  const quiet = provision(['lint', '--topology', 'fixtures/topology/broken-rules.ini', '--quiet']);
  assert.not.match(quiet.stdout, /topology-prefer-ipv4/);
  assert.match(quiet.stdout, /6 errors, 0 warnings/);
  const { dir, cleanup } = tempDir();
  try {
    const named = fs.readFileSync(EXAMPLE, 'utf8').replace('host = 10.0.0.3', 'host = reports.example.com');
    fs.writeFileSync(path.join(dir, 'group.ini'), named);
    const warned = provision(['lint', '--topology', 'group.ini'], { cwd: dir });
    assert.is(warned.code, 0, show(warned));
    assert.match(warned.stdout, /28:8 +warning +host "reports\.example\.com" of site "reports" is a DNS name/);
    assert.is(provision(['lint', '--topology', 'group.ini', '--max-warnings', '0'], { cwd: dir }).code, 1);
    fs.writeFileSync(path.join(dir, '.provisionrc'), '[rules]\ntopology-prefer-ipv4 = off\n');
    const off = provision(['lint', '--topology', 'group.ini', '--max-warnings', '0'], { cwd: dir });
    assert.is(off.code, 0, show(off));
    assert.is(off.stdout, '');
  } finally {
    cleanup();
  }
});

test('lint --topology: a file that cannot be read is exit 2, one line', () => {
  const r = provision(['lint', '--topology', 'no-such.ini']);
  assert.is(r.code, 2);
  assert.is(r.stderr, 'provision: cannot read the topology file no-such.ini: no such file or directory\n');
});

test('plan: writes the example\'s files, says nothing to do the second time, --dry-run and --json write nothing', () => {
  const { dir, cleanup } = tempDir();
  try {
    const dry = provision(['plan', EXAMPLE, '--out', 'plan', '--dry-run'], { cwd: dir });
    assert.is(dry.code, 0, show(dry));
    assert.match(dry.stdout, /\+\+\+ b\/plan\/main\/DB_CONFIG/);
    assert.match(dry.stdout, /Dry run: nothing was written\.\n$/);
    assert.not.ok(fs.existsSync(path.join(dir, 'plan')));
    const json = provision(['plan', EXAMPLE, '--out', 'plan', '--json', '--dry-run'], { cwd: dir });
    const data = JSON.parse(json.stdout) as { dryRun: boolean; unchanged: boolean; changes: { path: string; kind: string }[]; runbook: { steps: unknown[] }; applied: null };
    assert.is(data.dryRun, true);
    assert.is(data.unchanged, false);
    assert.is(data.applied, null);
    assert.ok(data.changes.some((c) => c.path === 'plan/runbook.md'));
    assert.is(data.runbook.steps.length, 19);
    assert.not.ok(fs.existsSync(path.join(dir, 'plan')));

    const first = provision(['plan', EXAMPLE, '--out', 'plan'], { cwd: dir });
    assert.is(first.code, 0, show(first));
    assert.match(first.stdout, /^wrote plan\/reports\/layout\.sh$/m);
    assert.match(first.stdout, /Next: follow plan\/runbook\.md/);
    const expected = path.join(ROOT, 'fixtures/topology/three-sites.plan');
    for (const f of filesBelow(expected)) {
      assert.fixture(fs.readFileSync(path.join(dir, 'plan', path.relative(expected, f)), 'utf8'), fs.readFileSync(f, 'utf8'), path.relative(expected, f));
    }
    const again = provision(['plan', EXAMPLE, '--out', 'plan'], { cwd: dir });
    assert.is(again.code, 0);
    assert.is(again.stdout, `Nothing to do: plan already holds the plan of ${EXAMPLE}.\n`);
    fs.mkdirSync(path.join(dir, 'plan', 'gone'));
    fs.writeFileSync(path.join(dir, 'plan', 'gone', 'DB_CONFIG'), '');
    const stale = provision(['plan', EXAMPLE, '--out', 'plan'], { cwd: dir });
    assert.is(stale.code, 0);
    assert.is(stale.stderr, `warning: plan/gone holds a DB_CONFIG but is not a site of ${EXAMPLE}; it is left alone (remove it if that site is gone)\n`);
    const againJson = JSON.parse(provision(['plan', EXAMPLE, '--out', 'plan', '--json'], { cwd: dir }).stdout) as { unchanged: boolean; applied: unknown };
    assert.is(againJson.unchanged, true);
  } finally {
    cleanup();
  }
});

test('plan: a topology with errors is refused, one line per error with file:line:col, exit 1, nothing written', () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = provision(['plan', RULES, '--out', 'plan'], { cwd: dir });
    assert.is(r.code, 1, show(r));
    assert.is(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 7);
    assert.is(lines[0], `provision: ${RULES}:5:27: failover_order names "nowhere", which is not a site of this file; the sites are main, standby, copy [topology-failover-order]`);
    assert.match(lines[6]!, /refused: .*broken-rules\.ini has 6 errors \(above\); fix them and plan again\. Nothing was written\./);
    const syntax = provision(['plan', SYNTAX, '--out', 'plan'], { cwd: dir });
    assert.is(syntax.code, 1);
    assert.match(syntax.stderr, /broken-syntax\.ini:10:1: "__proto__" is not allowed as a key \[topology-syntax\]/);
    assert.not.ok(fs.existsSync(path.join(dir, 'plan')));
  } finally {
    cleanup();
  }
});

test('plan: usage errors are exit 2', () => {
  const { dir, cleanup } = tempDir();
  try {
    assert.is(provision(['plan', EXAMPLE], { cwd: dir }).code, 2, 'no --out');
    fs.writeFileSync(path.join(dir, 'file'), '');
    const onFile = provision(['plan', EXAMPLE, '--out', 'file'], { cwd: dir });
    assert.is(onFile.code, 2);
    assert.is(onFile.stderr, 'provision: --out file: it is a file, not a folder\n');
    assert.is(provision(['plan', 'missing.ini', '--out', 'x'], { cwd: dir }).code, 2);
    for (const [value, found] of [['abc', '"abc"'], ['0', '0'], ['1.5', '1.5'], ['', 'an empty value']] as const) {
      const bad = provision(['plan', EXAMPLE, '--out', 'x', '--keep-backups', value], { cwd: dir });
      assert.is(bad.code, 2, `--keep-backups ${value}`);
      assert.is(bad.stderr, `provision: --keep-backups must be a whole number of at least 1, found ${found}\n`);
    }
  } finally {
    cleanup();
  }
});

test.run();
