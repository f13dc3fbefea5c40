import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeSite, parseDbConfig, readStatements } from '../../src/index.js';

const describe = (text: string) => describeSite(readStatements(parseDbConfig(Buffer.from(text, 'latin1'))));

test('the lines naming one site merge, whatever the spelling of its port', () => {
  const site = describe([
    'rep_set_priority 0',
    'repmgr_site 10.0.0.1 5010 db_local_site on',
    'repmgr_site 10.0.0.2 5010',
    'repmgr_site 10.0.0.2 05010 db_bootstrap_helper on',
    'repmgr_site 10.0.0.2 5011',
    '',
  ].join('\n'));
  assert.is(site.sites.length, 3);
  assert.equal(site.local && { host: site.local.host, port: site.local.port, lines: site.local.lines }, { host: '10.0.0.1', port: 5010, lines: [2] });
  const [helper, other] = site.remotes;
  assert.equal(helper!.lines, [3, 4]);
  assert.equal(helper!.flags, { db_bootstrap_helper: true });
  assert.is(helper!.line, 3, 'the first line that names a site places it');
  assert.equal(other!.lines, [5]);
  assert.equal(site.priority, { value: 0n, line: 1 });
  assert.equal(site.repmgrLines, [2, 3, 4, 5]);
});

test('a file naming many sites merges them as one naming a few does', () => {
  const lines: string[] = [];
  for (let i = 1; i <= 40; i++) lines.push(`repmgr_site 10.0.0.${i} 5010${i === 1 ? ' db_local_site on' : ''}`);
  // Sites named again before and after the 16th distinct one.
  lines.push('repmgr_site 10.0.0.3 5010 db_bootstrap_helper on', 'repmgr_site 10.0.0.30 05010 db_repmgr_peer on', 'repmgr_site 10.0.0.30 5011');
  const site = describe(`${lines.join('\n')}\n`);
  assert.is(site.sites.length, 41);
  assert.is(site.local?.host, '10.0.0.1');
  assert.is(site.remotes.length, 40);
  const third = site.sites[2]!;
  assert.equal([third.host, third.lines, third.flags], ['10.0.0.3', [3, 41], { db_bootstrap_helper: true }]);
  const thirtieth = site.sites[29]!;
  assert.equal([thirtieth.host, thirtieth.lines, thirtieth.flags], ['10.0.0.30', [30, 42], { db_repmgr_peer: true }]);
  assert.equal([site.sites[40]!.host, site.sites[40]!.port, site.sites[40]!.lines], ['10.0.0.30', 5011, [43]]);
});

test('only the settings a file gives are in its description', () => {
  const none = describe('set_cachesize 0 1048576 1\n');
  assert.equal(Object.keys(none).sort(), ['remotes', 'repmgrLines', 'sites']);
  const all = describe('rep_set_priority 100\nrepmgr_set_ack_policy db_repmgr_acks_all\nrep_set_nsites 3\nrepmgr_site h 1 db_local_site on\n');
  assert.equal(Object.keys(all).sort(), ['ackPolicy', 'local', 'nsitesLine', 'priority', 'remotes', 'repmgrLines', 'sites']);
  assert.equal(all.ackPolicy, { value: 'DB_REPMGR_ACKS_ALL', line: 2 });
  assert.is(all.nsitesLine, 3);
});

test.run();
