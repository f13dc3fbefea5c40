import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { registeredCommands } from '../src/cli/cli-reference.js';
import { renderRulesDoc } from '../src/lint/rules-doc.js';
import { ROOT } from './helpers.js';

test('docs/rules.md is up to date with the rules (regenerate: npm run build && node scripts/rules-doc.js)', () => {
  assert.fixture(fs.readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8'), renderRulesDoc());
});

/** The CommonJS bundle of the declarations, which renders help with yargs' CommonJS build, as users see it. */
const bundle = createRequire(import.meta.url)(path.join(ROOT, 'dist/tools/cli-reference.cjs')) as { renderCliReference(): Promise<string> };

test('docs/cli-reference.md is up to date with the command declarations (regenerate: npm run build && node scripts/cli-doc.js)', async () => {
  assert.fixture(fs.readFileSync(path.join(ROOT, 'docs/cli-reference.md'), 'utf8'), await bundle.renderCliReference());
});

test('the CLI reference has a section for every registered command, and the docs link it', async () => {
  const commands = registeredCommands();
  for (const known of ['lint', 'master', 'replicant', 'clean', 'layout', 'backup', 'restore', 'demo', 'completion']) {
    assert.ok(commands.includes(known), `${known} in ${commands.join(', ')}`);
  }
  const reference = await bundle.renderCliReference();
  for (const command of commands) {
    assert.ok(reference.includes(`## provision ${command}\n\n${'`'.repeat(3)}text\nprovision ${command}`), command);
  }
  assert.match(fs.readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8'), /\(cli-reference\.md\)/);
  assert.match(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), /\(docs\/cli-reference\.md\)/);
});

test('the README quick start names the commands package.json really has', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.ok(pkg.scripts.start && readme.includes('npm start'));
  assert.ok(pkg.scripts.test && readme.includes('npm test'));
  assert.match(fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8'), /^npm test 2>&1 \| tee /m);
});

test.run();
