/** How check's reports are printed: a table for people, JSON for programs, a Nagios status line for monitoring. */
import { count } from '../count.js';
import { countStatuses, worstStatus } from './evaluate.js';
import type { CheckStatus, SiteReport } from './types.js';

/** Nagios plugin exit codes. */
export const NAGIOS_EXIT: Record<CheckStatus, number> = { OK: 0, WARNING: 1, CRITICAL: 2 };

/** The worst status over every site. */
export function overallStatus(reports: readonly SiteReport[]): CheckStatus {
  return worstStatus(reports.map((r) => r.status));
}

/** One table per site: STATUS, CHECK, SUBJECT, MESSAGE. */
export function formatCheckTable(reports: readonly SiteReport[]): string {
  let out = '';
  for (const report of reports) {
    if (reports.length > 1 || report.name !== report.env) out += `${report.name} (${report.env}): ${report.status}\n`;
    const rows = report.results.map((r) => [r.status, r.id, r.subject ?? '', r.message]);
    const widths = [0, 1, 2].map((i) => Math.max(['STATUS', 'CHECK', 'SUBJECT'][i]!.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [['STATUS', 'CHECK', 'SUBJECT', 'MESSAGE'], ...rows]) {
      out += `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}\n`;
    }
    out += '\n';
  }
  const counts = countStatuses(reports);
  out += `${overallStatus(reports)}: ${counts.OK} ok, ${count(counts.WARNING, 'warning')}, ${counts.CRITICAL} critical\n`;
  return out;
}

/** The report as JSON-ready data. */
export function checkToJson(reports: readonly SiteReport[]): unknown {
  return { status: overallStatus(reports), counts: countStatuses(reports), sites: reports };
}

/**
 * Nagios plugin output: the status line first (`PROVISION CHECK CRITICAL - ...`,
 * naming the worst results), then one line per result that is not OK, then the rest.
 */
export function formatNagios(reports: readonly SiteReport[]): string {
  const status = overallStatus(reports);
  const counts = countStatuses(reports);
  const label = (site: SiteReport, r: SiteReport['results'][number]) => `${reports.length > 1 ? `${site.name}: ` : ''}${r.id}${r.subject !== undefined ? ` ${r.subject}` : ''}`;
  const all = reports.flatMap((site) => site.results.map((r) => ({ site, r })));
  const worst = all.filter((x) => x.r.status === status && status !== 'OK');
  const summary = status === 'OK'
    ? `${counts.OK} checks ok`
    : `${worst.map((x) => label(x.site, x.r)).join(', ')} (${counts.CRITICAL} critical, ${count(counts.WARNING, 'warning')}, ${counts.OK} ok)`;
  const order: CheckStatus[] = ['CRITICAL', 'WARNING', 'OK'];
  const details = order.flatMap((s) => all.filter((x) => x.r.status === s).map((x) => `${s}: ${label(x.site, x.r)}: ${x.r.message}`));
  return `PROVISION CHECK ${status} - ${summary}\n${details.join('\n')}\n`;
}
