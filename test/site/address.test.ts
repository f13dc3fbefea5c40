import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkHost } from '../../src/index.js';
import { isIPv4 } from '../../src/site/address.js';
import { ROOT } from '../helpers.js';

test('isIPv4 accepts exactly what node:net accepts, part by part', () => {
  const parts = ['0', '00', '01', '1', '9', '10', '09', '99', '100', '199', '200', '249', '250', '255', '256', '260', '300', '999', '1000', '-1', '', ' 1', '1 ', 'a', '+1', '0x1'];
  let accepted = 0;
  for (const a of parts) {
    for (const b of ['0', '255', '256', '01', '']) {
      for (const c of parts) {
        for (const d of parts) {
          const text = `${a}.${b}.${c}.${d}`;
          assert.is(isIPv4(text), net.isIPv4(text), text);
          if (isIPv4(text)) accepted++;
        }
      }
    }
  }
  // The grid holds addresses too, not only refusals.
  assert.ok(accepted > 1000, `${accepted}`);
});

test('isIPv4 agrees with node:net on random strings of digits and dots', () => {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const alphabet = '0123456789..\n a:';
  for (let i = 0; i < 50_000; i++) {
    let text = '';
    for (let n = 1 + (next() % 18); n > 0; n--) text += alphabet[next() % alphabet.length];
    assert.is(isIPv4(text), net.isIPv4(text), JSON.stringify(text));
  }
});

test('checkHost tells IPv4, IPv6 and names apart', () => {
  assert.equal(checkHost('10.0.0.1'), { ok: true, kind: 'ipv4' });
  assert.equal(checkHost('fe80::1'), { ok: true, kind: 'ipv6' });
  assert.equal(checkHost('::ffff:10.0.0.1'), { ok: true, kind: 'ipv6' });
  assert.equal(checkHost('db1.example.com'), { ok: true, kind: 'name' });
  assert.match((checkHost('[fe80::1]') as { reason: string }).reason, /without brackets \(fe80::1\)/);
  assert.match((checkHost('10.0.0.256') as { reason: string }).reason, /looks like an IPv4 address/);
  assert.equal(checkHost('fe80::zz').ok, false);
});

test('checking IPv4 addresses and names does not load node:net (start-up); an IPv6 address does', () => {
  const address = pathToFileURL(path.join(ROOT, 'dist', 'src', 'site', 'address.js')).href;
  const loads = (host: string) => {
    const code = `const { checkHost } = await import(${JSON.stringify(address)}); checkHost(${JSON.stringify(host)}); const loaded = process.moduleLoadList.includes('NativeModule net'); process.stdout.write(String(loaded));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  assert.is(loads('10.0.0.1'), 'false');
  assert.is(loads('db1.example.com'), 'false');
  assert.is(loads('fe80::1'), 'true');
});

test.run();
