import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDbConfig } from '../../dbconfig/document.js';
import { formatResults } from '../../lint/formatters/index.js';
import { lintGroup } from '../../lint/group.js';
import { lintDbConfig, toResult } from '../../lint/lint.js';
import { EXIT } from '../errors.js';
import { shownPath, useColor, type Io } from '../io.js';

/** The embedded demo group: a master and a replicant on loopback. */
const DEMO: readonly { site: string; text: string }[] = [
  {
    site: 'master',
    text: 'rep_set_priority 1\nrepmgr_site 127.0.0.1 5010 db_local_site on db_group_creator on\nrepmgr_site 127.0.0.1 5011\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n',
  },
  {
    site: 'replicant',
    text: 'rep_set_priority 0\nrepmgr_site 127.0.0.1 5011 db_local_site on\nrepmgr_site 127.0.0.1 5010 db_bootstrap_helper on\nrepmgr_set_ack_policy DB_REPMGR_ACKS_ONE\n',
  },
];

/** `provision demo`: write a demo master and replicant into a scratch folder and lint them as a group. */
export async function runDemo(args: { dir?: string }, io: Io): Promise<number> {
  const root = args.dir !== undefined ? path.resolve(io.cwd, args.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'provision-demo-'));
  const members = DEMO.map(({ site, text }) => {
    const dir = path.join(root, site);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'DB_CONFIG');
    fs.writeFileSync(file, text);
    io.stdout.write(`wrote ${file}\n${text.replace(/^/gm, '  ')}\n`);
    return { filePath: shownPath(io.cwd, file), doc: parseDbConfig(text) };
  });
  const group = lintGroup(members);
  const results = members.map((m) => {
    const r = lintDbConfig(m.doc, { filePath: m.filePath });
    return toResult(r.filePath, [...r.messages, ...(group.get(m.filePath) ?? [])]);
  });
  const out = formatResults('stylish', results, { color: useColor(io), cwd: io.cwd });
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  io.stdout.write(out || `lint: ${results.length} files, no problems (checked as one replication group)\n`);
  return errors > 0 ? EXIT.findings : EXIT.ok;
}
