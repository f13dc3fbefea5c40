import { formatAddress } from './address.js';
import type { Site } from './site.js';

/** What the operator does after DB_CONFIG is written, in order, as the vendor runbooks say it. */
export function nextSteps(site: Site, regionFiles: readonly string[]): string[] {
  const here = formatAddress(site.local);
  const steps = [`Stop the server on this machine (${site.local.host}) if it is running: Berkeley DB reads DB_CONFIG only when the environment opens.`];
  if (regionFiles.length > 0) {
    steps.push(`With the server stopped, remove the region files ${regionFiles.join(', ')} in ${site.env}; until then Berkeley DB keeps the old settings.`);
  }
  if (site.role === 'master') {
    steps.push(`Start this master first (${here}); start each replicant only after it is up.`);
    for (const r of site.remotes) steps.push(`On ${r.address.host}, run provision replicant with --master ${here} --local ${formatAddress(r.address)}, then start it.`);
  } else {
    const master = site.remotes.find((r) => r.helper);
    steps.push('On a brand-new replicant the environment must hold only DB_CONFIG: move any old databases, logs and __db.* files out first.');
    steps.push(`Make sure the master ${master ? formatAddress(master.address) : ''} is running, then start this replicant; it joins through the master and copies the databases.`);
  }
  steps.push(`Clients connect on port ${site.clientPort}; replication uses port ${site.local.port}. Open both between the sites.`);
  steps.push(`Check: db5.3_stat -r -h ${site.env} shows this site as a replication ${site.role === 'master' ? 'master' : 'client'}.`);
  return steps;
}
