import * as path from 'node:path';
import { parseDbConfig, renderDbConfig } from '../dbconfig/document.js';
import { display } from '../dbconfig/text.js';
import { lintDbConfig } from '../lint/lint.js';
import type { LintMessage } from '../lint/types.js';
import type { Change, Plan } from '../plan/types.js';
import { mergeSiteConfig } from './merge.js';
import { nextSteps } from './next-steps.js';
import { renderTemplate, type Template } from './render.js';
import type { Site } from './site.js';

export interface SitePlanInput {
  readonly site: Site;
  readonly template: Template;
  /** Where DB_CONFIG is (or will be). */
  readonly configPath: string;
  /** Its current bytes, or null when there is none. */
  readonly existing: Buffer | null;
  readonly envExists: boolean;
  /** Region files (__db.001...) found in the environment. */
  readonly regionFiles: readonly string[];
}

export interface SitePlan {
  readonly plan: Plan;
  /** The DB_CONFIG the plan writes. */
  readonly content: Buffer;
  /** Lint warnings of that file (errors refuse the plan). */
  readonly findings: readonly LintMessage[];
  readonly warnings: readonly string[];
  readonly nextSteps: readonly string[];
}

/** A generated DB_CONFIG that lint rejects: it is never written. */
export class RejectedConfig extends Error {
  constructor(message: string, readonly findings: readonly LintMessage[]) {
    super(message);
    this.name = 'RejectedConfig';
  }
}

const FILE_WIDE = new Set(['no-local-site', 'no-bootstrap-helper', 'nsites-with-repmgr']);

function rejection(what: string, text: Buffer, errors: readonly LintMessage[], hint: string): RejectedConfig {
  const lines = text.toString('latin1').split('\n');
  // A file-wide finding (no local site, ...) is often the echo of a line's own error: name the line's.
  const first = errors.find((e) => !FILE_WIDE.has(e.ruleId)) ?? errors[0]!;
  const shown = display((lines[first.line - 1] ?? '').replace(/\r$/, ''));
  return new RejectedConfig(`${what} line ${first.line} "${shown}": ${first.message} [${first.ruleId}]${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}; ${hint}`, errors);
}

/**
 * Plan a site's DB_CONFIG: render the template, lint it, merge it into the
 * existing file (if any), lint the result. Pure apart from loading handlebars.
 */
export async function planSite(input: SitePlanInput): Promise<SitePlan> {
  const rendered = Buffer.from(await renderTemplate(input.site, input.template), 'utf8');
  const renderedLint = lintDbConfig(rendered, { filePath: input.template.name });
  const renderedErrors = renderedLint.messages.filter((m) => m.severity === 2);
  if (renderedErrors.length > 0) {
    throw rejection(`template ${input.template.name} rendered`, rendered, renderedErrors, 'fix the template (the answers were already validated)');
  }
  const content = input.existing === null ? rendered : renderDbConfig(mergeSiteConfig(parseDbConfig(input.existing), parseDbConfig(rendered), input.site.role));
  const result = lintDbConfig(content, { filePath: input.configPath });
  const errors = result.messages.filter((m) => m.severity === 2);
  if (errors.length > 0) {
    throw rejection(`the updated ${input.configPath} would have, on`, content, errors, `the existing file has a problem provision does not change: run provision lint ${input.configPath}`);
  }
  const changes: Change[] = [];
  if (!input.envExists) changes.push({ kind: 'mkdir', path: path.dirname(input.configPath), reason: 'the environment directory does not exist yet' });
  changes.push({
    kind: 'write',
    path: input.configPath,
    before: input.existing,
    after: content,
    reason: input.existing === null ? `new DB_CONFIG for the ${input.site.role}` : `DB_CONFIG updated for the ${input.site.role}`,
  });
  const warnings = input.regionFiles.length > 0
    ? [`Region files ${input.regionFiles.join(', ')} exist in ${input.site.env}: Berkeley DB ignores the new settings until they are removed with the server stopped.`]
    : [];
  return {
    plan: { changes },
    content,
    findings: result.messages,
    warnings,
    nextSteps: nextSteps(input.site, input.regionFiles),
  };
}
