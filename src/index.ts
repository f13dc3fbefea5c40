/**
 * The provision library: the DB_CONFIG document model, the directive
 * catalogue, lint, and site validation. The CLI is a thin layer over these.
 */
export { parseDbConfig, renderDbConfig, renderDbConfigText, lineOffsets, dominantEol, type DbConfigDocument } from './dbconfig/document.js';
export type { Eol, Line, LineKind, Token } from './dbconfig/line.js';
export { readStatements, type Statement } from './dbconfig/statements.js';
export {
  DIRECTIVES, lookupDirective, matchKeyword, ACK_POLICIES, REP_TIMEOUTS, REP_CONFIG_FLAGS, SITE_FLAGS,
  type DirectiveSpec, type ArgSpec, type NumberKind, type SiteFlag,
} from './dbconfig/catalogue.js';
export { convertNumber } from './dbconfig/numbers.js';
export { describeSite, type SiteDescription, type SiteEntry } from './dbconfig/site-config.js';
export {
  setDirective, removeDirective, findDirective, commentLines, uncommentLines, insertLines, replaceLine, commentedTokens,
  type DirectiveMatch,
} from './dbconfig/edit.js';
export { lintDbConfig } from './lint/lint.js';
export { fixDbConfig, applyFixes } from './lint/fix.js';
export { RULES } from './lint/rules/index.js';
export type { LintMessage, LintResult, LintOptions, Fix, Rule, Severity, RuleSetting, EnvironmentFacts } from './lint/types.js';
export { checkHost, checkPort, parseAddress, formatAddress, type Address } from './site/address.js';
