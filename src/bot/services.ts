import type { AuditLog } from './audit-log.js';
import type { BotServices } from './command.js';
import type { ProposalStore } from './proposal-store.js';
import type { Jobs } from './jobs.js';
import type { Preferences } from './preferences.js';
import type { ProposalFlow } from './proposals.js';
import type { WorkUnit } from '../wecom/index.js';
import type { MemberDirectory } from '../contacts/members.js';
import type { CorpTags } from '../contacts/tags.js';
import type { CustomerNames } from '../contacts/customer-names.js';
import type { TransferLedger } from '../contacts/transfers.js';
import type { Registry } from './registry.js';
import type { Roles } from './roles.js';
import type { Notices } from './notices.js';

/** The bot's services as commands see them: the catalog, the audit log, jobs, roles, decisions by code. */
export function botServices(deps: {
  registry: Registry;
  audit: AuditLog;
  prefs: Preferences;
  proposalStore: ProposalStore;
  proposals: ProposalFlow;
  jobs: Jobs;
  roles: Roles;
  members: MemberDirectory;
  tags: CorpTags;
  customerNames: CustomerNames;
  transfers: TransferLedger;
  notices: Notices;
  /** The delivery being handled: a job it starts is named after it (found again when the delivery runs again). */
  delivery?: WorkUnit;
  /** Told of each job started. */
  onJobStarted?: (jobId: string) => void;
}): BotServices {
  const { registry, audit, prefs, proposalStore, proposals, jobs, roles, members, tags, customerNames, transfers, notices, delivery, onJobStarted } = deps;
  return {
    catalog: registry,
    audit,
    setLocale: (user, locale) => prefs.setLocale(user, locale),
    decide: async (user, code, choice, locale) =>
      proposals.decide({ user, proposal: await proposalStore.byCode(code), choice, typedIn: locale, fallbackLocale: locale }),
    jobs: {
      start: async (type, user, locale, state) => {
        const job = await jobs.start(type, user, locale, state, delivery);
        onJobStarted?.(job.id);
        return job;
      },
      findRunning: (type, where) => jobs.findRunning(type, where),
    },
    get admins() {
      return roles.admins();
    },
    roles,
    members,
    tags,
    customerNames,
    transfers,
    notices: { post: (notice) => notices.post(notice) },
  };
}
