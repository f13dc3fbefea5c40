import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GROUP_RULES } from '../group-rules.js';
import { RULES } from '../rules/index.js';
import { TOPOLOGY_PARSE_CODES, TOPOLOGY_RULES } from '../../topology/rules.js';
import type { LintMessage, LintResult } from '../types.js';
import { absolutePath, isPseudoPath } from './paths.js';
import { decodeFixText } from './text.js';
import type { FormatOptions } from './types.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The base every relative artifact URI is resolved against: the working directory. */
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning';
interface RuleDescriptor {
  readonly id: string;
  readonly shortDescription: { readonly text: string };
  readonly defaultConfiguration: { readonly level: Level };
}

/**
 * A SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF
 * viewers. Files under the working directory get URIs relative to
 * `%SRCROOT%` (the working directory, listed in `originalUriBaseIds`), which
 * is how code scanning maps results onto the repository; others get absolute
 * `file:` URIs. Columns count bytes, as everywhere in provision. Safe fixes
 * become SARIF `fixes` with byte regions.
 */
export function formatSarif(results: readonly LintResult[], options: FormatOptions): string {
  const rules: RuleDescriptor[] = RULES.map((r) => ({
    id: r.id,
    shortDescription: { text: r.description },
    defaultConfiguration: { level: r.severity },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const sarifResults = results.flatMap((result) => {
    const artifact = artifactLocation(result.filePath, options.cwd);
    return result.messages.map((m) => {
      let index = ruleIndex.get(m.ruleId);
      if (index === undefined) {
        // A replication-group or topology rule (or, should one ever appear, a rule nobody declared:
        // described by its ID), listed once it is used so every result still points at a descriptor.
        const group = [...GROUP_RULES, ...TOPOLOGY_RULES, ...TOPOLOGY_PARSE_CODES].find((r) => r.id === m.ruleId);
        index = rules.push({
          id: m.ruleId,
          shortDescription: { text: group?.description ?? m.ruleId },
          defaultConfiguration: { level: group?.severity ?? level(m) },
        }) - 1;
        ruleIndex.set(m.ruleId, index);
      }
      return {
        ruleId: m.ruleId,
        ruleIndex: index,
        level: level(m),
        message: { text: m.message },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: region(m) } }],
        ...(m.fix ? { fixes: [sarifFix(m, artifact)] } : {}),
      };
    });
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'provision', rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

const level = (m: LintMessage): Level => (m.severity === 2 ? 'error' : 'warning');

function region(m: LintMessage) {
  return {
    startLine: m.line,
    startColumn: m.column,
    ...(m.endLine !== undefined ? { endLine: m.endLine } : {}),
    ...(m.endColumn !== undefined ? { endColumn: m.endColumn } : {}),
  };
}

function sarifFix(m: LintMessage, artifact: ArtifactLocation) {
  const [start, end] = m.fix!.range;
  const text = decodeFixText(m.fix!.text);
  return {
    artifactChanges: [
      {
        artifactLocation: artifact,
        replacements: [
          {
            deletedRegion: { byteOffset: start, byteLength: end - start },
            // Replacement bytes that are not UTF-8 travel as base64, so nothing is lost.
            insertedContent: text !== undefined ? { text } : { binary: Buffer.from(m.fix!.text, 'latin1').toString('base64') },
          },
        ],
      },
    ],
  };
}

type ArtifactLocation = { readonly uri: string; readonly uriBaseId?: string };

function artifactLocation(filePath: string, cwd: string): ArtifactLocation {
  if (isPseudoPath(filePath)) return { uri: encodeURIComponent(filePath) };
  const absolute = absolutePath(filePath, cwd);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  // Each segment percent-encoded, so spaces, `#`, `%` and `:` in names stay part of the path.
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** A directory's `file:` URI, ending in `/` as SARIF requires of a base URI. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}
