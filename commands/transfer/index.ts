import { defineCommand } from '../../src/bot/command.js';
import { runTransferJob, transferAll, TRANSFER_ALL_JOB } from './all.js';
import { transferCustomers } from './customers.js';
import { noticeTransferFailure } from './failNotice.js';
import { transferGroups } from './groups.js';
import { transferResult } from './result.js';

/** /转接: hand customers (named, or all of them as a durable job) and group chats from one member to another. */
const transfer = defineCommand({
  id: 'transfer',
  names: { 'zh-Hans': '转接', 'zh-Hant': '轉接', en: 'transfer' },
  actions: [transferCustomers, transferAll, transferResult, transferGroups],
  jobs: { [TRANSFER_ALL_JOB]: runTransferJob },
  events: { external_contact: noticeTransferFailure },
});

export default transfer;
