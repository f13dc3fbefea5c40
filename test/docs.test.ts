import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderRulesDoc } from '../src/lint/rules-doc.js';
import { ROOT } from './helpers.js';

test('docs/rules.md is up to date with the rules (regenerate: npm run build && node scripts/rules-doc.js)', () => {
  assert.fixture(fs.readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8'), renderRulesDoc());
});

test('the README quick start names the commands package.json really has', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.ok(pkg.scripts.start && readme.includes('npm start'));
  assert.ok(pkg.scripts.test && readme.includes('npm test'));
  assert.match(fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8'), /^npm test 2>&1 \| tee /m);
});

test.run();
