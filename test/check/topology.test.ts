import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { selectTopologySites } from '../../src/check/topology.js';
import { CLEAN, groupText, lint, topologyFixture } from '../topology/load.js';

const test = suite('check/topology');

function resolved(text: string) {
  const r = lint(text);
  assert.ok(r.resolved, JSON.stringify(r.problems));
  return r.resolved!;
}

const only = (...hosts: string[]) => (h: string) => hosts.includes(h);

test('one SiteInput per site of this machine: its env, address, every other site, the master as a replicant\'s helper', () => {
  const group = resolved(groupText({ port: '5010', client_port: '5000' }, CLEAN));
  const picked = selectTopologySites(group, { isLocal: only('10.0.0.2'), target: 'posix' });
  assert.ok('inputs' in picked);
  assert.equal(picked.inputs, [
    {
      name: 'b',
      env: '/srv/b/env',
      planned: { local: { host: '10.0.0.2', port: 5010 }, remotes: [{ host: '10.0.0.1', port: 5010, helper: true }, { host: '10.0.0.3', port: 5010 }], from: 'topology' },
      clientPort: 5000,
    },
  ]);
  const master = selectTopologySites(group, { site: 'a', isLocal: only(), target: 'posix' });
  assert.ok('inputs' in master);
  assert.equal(master.inputs[0]!.planned?.remotes, [{ host: '10.0.0.2', port: 5010 }, { host: '10.0.0.3', port: 5010 }], 'a master has no helper');
  const all = selectTopologySites(group, { isLocal: () => true, target: 'posix' });
  assert.equal('inputs' in all ? all.inputs.map((i) => i.name) : [], ['a', 'b', 'c']);
});

test('a site with a layout gives check its backup and data roots; a site\'s own client_port wins', () => {
  const group = resolved(groupText({ port: '5010', client_port: '5000' }, { ...CLEAN, c: { host: '10.0.0.3', role: 'replicant', root: '/srv/c', client_port: '6000' } }));
  const picked = selectTopologySites(group, { site: 'c', isLocal: only(), target: 'posix' });
  assert.ok('inputs' in picked);
  const c = picked.inputs[0]!;
  assert.is(c.env, '/srv/c/data/env');
  assert.is(c.backupRoot, '/srv/c/backup');
  assert.is(c.backupFrom, 'topology');
  assert.is(c.dataRoot, '/srv/c/data');
  assert.is(c.clientPort, 6000);
});

test('no site here, an unknown site, a site of another kind of machine: errors that say what to do', () => {
  const group = resolved(groupText({ port: '5010' }, CLEAN));
  const none = selectTopologySites(group, { isLocal: only(), target: 'posix' });
  assert.ok('error' in none && /no site of the topology has an address of this machine \(the sites are a, b, c\); give --site NAME/.test(none.error));
  const unknown = selectTopologySites(group, { site: 'z', isLocal: only(), target: 'posix' });
  assert.ok('error' in unknown && /no site "z"; its sites are a, b, c/.test(unknown.error));
  const windows = selectTopologySites(resolved(topologyFixture('three-sites.ini')), { site: 'main', isLocal: only(), target: 'posix' });
  assert.ok('error' in windows && /site "main" is on a windows machine and this one is posix; run provision check there/.test(windows.error), JSON.stringify(windows));
});

test.run();
