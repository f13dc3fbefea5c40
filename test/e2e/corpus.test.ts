/**
 * Lint's verdict on every file of fixtures/bdb-corpus must equal the real
 * Berkeley DB's: a file the library refuses (or crashes on) has at least one
 * lint error, a file it accepts has none, and a file it accepts although the
 * site cannot work (listed in broken.json) has at least one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lintDbConfig } from '../../src/index.js';
import type { EnvironmentFacts, LintResult } from '../../src/index.js';
import { buildHarness, openWithBdb, projectRoot, whyBdbUnavailable, type BdbVerdict } from './bdb.js';

const CORPUS = join(projectRoot(), 'fixtures', 'bdb-corpus');
const MIN_FILES = 100;
const PARALLEL = Math.max(1, Math.min(8, availableParallelism()));

const files = readdirSync(CORPUS).filter((f) => f.endsWith('.DB_CONFIG')).sort();
/** File name -> why Berkeley DB accepts it although the site cannot work. */
const broken = JSON.parse(readFileSync(join(CORPUS, 'broken.json'), 'utf8')) as Record<string, string>;

const test = suite('bdb-corpus');
const unavailable = whyBdbUnavailable();

/** Run `fn` over `items` with at most `limit` running at once, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function describeBdb(v: BdbVerdict): string {
  const what = v.crashed ? `crashed (${v.crashed})` : v.timedOut ? 'timed out' : v.accepted ? 'accepted' : `rejected (ret ${v.report?.ret ?? v.exitCode})`;
  const said = v.report?.messages.length ? v.report.messages : v.stderr.trim() ? [v.stderr.trim()] : [];
  return `Berkeley DB ${what}${said.length ? `: ${said.join(' | ')}` : ''}`;
}

function describeLint(r: LintResult): string {
  if (r.messages.length === 0) return 'lint: no findings';
  return `lint:\n${r.messages.map((m) => `    ${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId}: ${m.message}`).join('\n')}`;
}

if (unavailable !== undefined) {
  if (process.env['PROVISION_E2E'] === 'required') {
    test('Berkeley DB is available (PROVISION_E2E=required)', () => {
      assert.unreachable(`PROVISION_E2E=required but the real Berkeley DB cannot be used: ${unavailable}`);
    });
  } else {
    console.log(`\n  NOTE: skipping the Berkeley DB corpus suite: ${unavailable}. Set PROVISION_E2E=required to make this a failure.\n`);
    test.skip('bdb-corpus (Berkeley DB not available)');
  }
} else {
  const verdicts = new Map<string, BdbVerdict>();
  // Lint sees the same environment Berkeley DB does: a fresh directory holding only DB_CONFIG.
  let emptyHome = '';
  const environment: EnvironmentFacts = {
    configMtimeMs: Date.now(),
    regionFiles: [],
    directoryExists: (path) => {
      try {
        return statSync(isAbsolute(path) ? path : resolve(emptyHome, path)).isDirectory();
      } catch {
        return false;
      }
    },
  };

  test.before(async () => {
    emptyHome = mkdtempSync(join(tmpdir(), 'provision-e2e-home-'));
    const harness = buildHarness();
    const results = await mapLimit(files, PARALLEL, (f) => openWithBdb(readFileSync(join(CORPUS, f)), { harness }));
    files.forEach((f, i) => verdicts.set(f, results[i]!));
  });

  test.after(() => {
    if (emptyHome) rmSync(emptyHome, { recursive: true, force: true });
  });

  test(`the corpus has at least ${MIN_FILES} files`, () => {
    assert.ok(files.length >= MIN_FILES, `only ${files.length} files in ${CORPUS}`);
  });

  test('broken.json names only corpus files, each with a reason', () => {
    for (const [name, reason] of Object.entries(broken)) {
      assert.ok(files.includes(name), `broken.json names ${name}, which is not in the corpus`);
      assert.ok(typeof reason === 'string' && reason.trim().length > 0, `broken.json gives no reason for ${name}`);
    }
  });

  for (const file of files) {
    test(file, () => {
      const v = verdicts.get(file)!;
      const result = lintDbConfig(readFileSync(join(CORPUS, file)), { filePath: file, environment });
      const detail = `\n  ${describeBdb(v)}\n  ${describeLint(result)}`;
      assert.not.ok(v.timedOut, `Berkeley DB timed out on ${file}; keep corpus files quick to open.${detail}`);
      if (broken[file] !== undefined) {
        assert.ok(v.accepted, `${file}: annotated broken (${broken[file]}), but Berkeley DB does not accept it; remove it from broken.json.${detail}`);
        assert.ok(result.errorCount > 0, `${file}: annotated broken (${broken[file]}) but lint reports no error.${detail}`);
      } else if (!v.accepted) {
        assert.ok(result.errorCount > 0, `${file}: Berkeley DB refuses it but lint reports no error.${detail}`);
      } else {
        assert.is(result.errorCount, 0, `${file}: Berkeley DB accepts it but lint reports errors.${detail}`);
      }
    });
  }
}

test.run();
