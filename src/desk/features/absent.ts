import { ConfigError } from '../../errors.js';
import { QUERY_SCHEMAS } from '../../domain/query.js';
import { parse } from '../schemas.js';
import type { Kernel } from '../runtime.js';
import type { ServiceDesk } from '../service-desk.js';
import type { AccountRecheck } from '../sla-account.js';

/** What a desk does about account changes when no SLA policy reads them: nothing. */
export const NO_RECHECK: AccountRecheck = { after: () => [], run: async () => undefined, pending: async () => [] };

/** The SLA methods of a desk: the replays need `sla`, the stored policy versions are read either way. */
export function slaQueries(k: Kernel, replays: Pick<ServiceDesk, 'explainSla' | 'whatIfSla'> | undefined): Pick<ServiceDesk, 'explainSla' | 'whatIfSla' | 'listSlaPolicyVersions'> {
  const absent = (): never => {
    throw new ConfigError('sla', 'this desk has no SLA configuration; pass createServiceDesk({ sla: defineSlaConfig({ calendars, policies }) })');
  };
  return {
    explainSla: replays?.explainSla ?? (async () => absent()),
    whatIfSla: replays?.whatIfSla ?? (async () => absent()),
    async listSlaPolicyVersions(query = {}) {
      parse(QUERY_SCHEMAS.sla_policy, query, 'listSlaPolicyVersions query');
      return k.storage.list('sla_policy', query);
    },
  };
}
