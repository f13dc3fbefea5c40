/**
 * The provision library: the DB_CONFIG document model, the directive
 * catalogue, lint, site validation, and whole groups from a topology file.
 * The CLI is a thin layer over these.
 */
export { parseDbConfig, renderDbConfig, renderDbConfigText, lineOffsets, dominantEol, type DbConfigDocument } from './dbconfig/document.js';
export { MAX_DOCUMENT_BYTES } from './dbconfig/text.js';
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
export { lintGroup, GROUP_RULES, type GroupMember } from './lint/group.js';
export { formatResults, FORMATS, type FormatName, type FormatOptions } from './lint/formatters/index.js';
export { buildSite, type Site, type SiteProblem } from './site/site.js';
export { planSite, RejectedConfig, type SitePlan, type SitePlanInput } from './site/plan.js';
export { mergeSiteConfig, reviveVendorBlock } from './site/merge.js';
export { parseAnswersFile } from './site/answers-file.js';
export { QUESTIONS, withDefaults, type Question, type RawAnswers, type Role } from './site/questions.js';
export { applyPlan, writeFileAtomic, ApplyError, type Applied } from './plan/apply.js';
export { previewPlan, planToJson } from './plan/preview.js';
export { unifiedDiff } from './plan/diff.js';
export type { Plan, Change } from './plan/types.js';
export { classifyEntry, type EntryClass, type Classification } from './env/classify.js';
export { environmentLayout, type EnvironmentLayout } from './env/layout.js';
export { scanEnvironment, type Entry } from './env/scan.js';
export { planClean, type CleanMode, type CleanPlan } from './env/clean-plan.js';
export { quarantineEntries, undoQuarantine, listQuarantines, CleanError, type Manifest } from './env/quarantine.js';
export { findHolders, describeHolders, type Holder, type InUse } from './env/in-use.js';
export { parseLayout, type LayoutSpec } from './layout/parse.js';
export { readLayoutManifest, findLayoutManifest, type LayoutManifest } from './layout/manifest.js';
export { emitTree, emitJson, emitSh, emitPs1, type EmitFormat } from './layout/emit.js';
export { resolveLayout, type LayoutInput, type LayoutRefusal } from './layout/resolve.js';
export { planLayout, type LayoutPlan } from './layout/plan.js';
export { planBackup, type BackupPlan } from './backup/backup-plan.js';
export { applyBackup, BackupError } from './backup/apply-backup.js';
export { planRestore, type RestorePlan } from './backup/restore-plan.js';
export { applyRestore, undoRestore, RestoreError } from './backup/apply-restore.js';
export { verifyTree, describeDifference } from './backup/verify.js';
export { listSnapshots, readManifest as readSnapshotManifest } from './backup/snapshots.js';
export { parseTopology, GROUP_KEYS, SITE_KEYS } from './topology/parse.js';
export { checkSiteName } from './topology/sections.js';
export { evaluateSite, expectedState, worstStatus } from './check/evaluate.js';
export { gatherSiteFacts, gatherSitesFacts } from './check/gather.js';
export { formatCheckTable, formatNagios, checkToJson, NAGIOS_EXIT } from './check/format.js';
export { siteFromAnswers } from './check/answers.js';
export { selectTopologySites, siteInputFromTopology } from './check/topology.js';
export type { CheckResult, CheckStatus, CheckId, SiteFacts, SiteInput, SiteReport, SiteAddress as CheckAddress, Expectation } from './check/types.js';
export { placeSites, siteTarget, type PlacedSite, type ResolvedTopology, type PlaceOptions } from './topology/sites.js';
export { checkTopology, lintTopology, machineOf, type LintTopologyResult, type TopologyRuleSettings } from './topology/check.js';
export { TOPOLOGY_RULES, TOPOLOGY_PARSE_CODES, type TopologyRule } from './topology/rules.js';
export { topologySiteAnswers, siteAddress } from './topology/answers.js';
export { planTopology, RejectedTopology, type TopologyPlan, type TopologyPlanInput, type TopologySitePlan } from './topology/plan.js';
export { buildRunbook, renderRunbookMarkdown, generatorCommand, type Runbook, type RunbookStep, type RunbookPhase, type RunbookSite } from './topology/runbook.js';
export type { Topology, TopologyGroup, TopologySite, TopologyProblem, TopologySeverity, Located, GroupAnswerName, SitePathKey } from './topology/types.js';
export { MIGRATIONS, type MigrationName, type MigrationPlan, type GroupSite, type RoleMove } from './migrate/types.js';
export { readGroupDir, readSite, parseSiteSpec } from './migrate/read-group.js';
export { configuredRole, type ConfiguredRole, type SiteAddress } from './migrate/site-edit.js';
export { promoteDocument, demoteDocument, MigrationError, PRIORITY_WARNING } from './migrate/role.js';
export { planFailover, type FailoverOptions } from './migrate/failover.js';
export { planPromote, planDemote } from './migrate/single-site.js';
export { planTakeover, planRestoreMain, takeoverCode, confirmsTakeover } from './migrate/takeover.js';
export { planRenameHost } from './migrate/rename-host.js';
export { planModernise, moderniseDocument } from './migrate/modernise.js';
export { applyMigration, planCleanups, type Cleanup, type MigrationResult } from './migrate/apply.js';
export { readJournals, type JournalEntry, type JournalFile } from './migrate/journal.js';
export { planRollback, pickEntry } from './migrate/rollback.js';
export { syncTopology, type SiteAfter } from './migrate/topology-sync.js';
export { editTopologyValues, TopologyEditError, type ValueEdit } from './migrate/topology-edit.js';
