import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, displayStoreUrl, loadConfigFromEnvironment, type Config, type Locale } from '../config.js';
import { t } from '../i18n/index.js';
import { createStore, prepareStore, releaseStore, SCHEMA_VERSION, StoreRefused } from '../store/index.js';
import { corpName, sizeOf, toolLocale } from './output.js';
import { backupSqlite, readSqliteFile, restoreSqlite, setAside, sqlitePath, StoreFileError, whileLocked, type SqliteFileFacts } from './sqliteFiles.js';
import { exitIfNodeTooOld } from './engines.js';
import { copySqliteStore } from './storeCopy.js';

/**
 * `npm run store -- backup <file> | restore <file> | copy <from-url> <to-url> | reset [--yes] | adopt | info`: the store of the configuration
 * `npm start` reads (STORE_URL, STORE_PREFIX, the corp), one line per outcome, ✓ or ✗. Exit 0 when done, 1 when
 * refused, 2 on a usage error.
 */
class Refused extends Error {}
class UsageError extends Error {}

function refuse(locale: Locale, key: string, params: Record<string, string | number> = {}): never {
  throw new Refused(t(locale, key, params));
}

/** A file problem in words. */
function fileProblem(locale: Locale, err: unknown): never {
  if (err instanceof StoreFileError) refuse(locale, `ops.store.file.${err.reason}`, { file: err.file });
  throw err;
}

/** What a store file holds; refused in words when it is missing, not a store, or damaged. */
function soundFile(locale: Locale, file: string): SqliteFileFacts {
  let facts: SqliteFileFacts;
  try {
    facts = readSqliteFile(file);
  } catch (err) {
    return fileProblem(locale, err);
  }
  if (facts.integrity !== 'ok') refuse(locale, 'ops.store.damaged', { file, problem: facts.integrity });
  return facts;
}

function describe(locale: Locale, facts: SqliteFileFacts): Record<string, string | number> {
  return { corp: corpName(locale, facts.corp), schema: facts.schema, records: facts.records, size: sizeOf(facts.bytes) };
}

/** `work` under the store's lock; refused when the bot (or another tool) holds it. */
async function locked<T>(locale: Locale, path: string, work: () => T): Promise<T> {
  const outcome = await whileLocked(path, work);
  if (!outcome) {
    let pid = '?';
    try {
      pid = readSqliteFile(path).process?.split('@')[0] ?? '?';
    } catch {
      // no record to read: the pid stays unknown
    }
    refuse(locale, 'ops.store.running', { pid });
  }
  return outcome.done;
}

async function run(argv: string[], config: Config, locale: Locale): Promise<string[]> {
  const [command, operand, second] = argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1] === '--lang'));
  const corp = config.wecom ? config.wecom.corpId : 'demo';
  const sqlite = config.storeUrl.startsWith('sqlite://');
  const url = displayStoreUrl(config.storeUrl);
  switch (command) {
    case 'backup': {
      if (!operand) throw new UsageError();
      if (!sqlite) refuse(locale, 'ops.store.redisBackup');
      const file = resolve(operand);
      let facts: SqliteFileFacts;
      try {
        facts = backupSqlite(sqlitePath(config.storeUrl), file);
      } catch (err) {
        return fileProblem(locale, err);
      }
      if (facts.integrity !== 'ok') refuse(locale, 'ops.store.damaged', { file, problem: facts.integrity });
      return [t(locale, 'ops.store.backupDone', { file, ...describe(locale, facts) })];
    }
    case 'restore': {
      if (!operand) throw new UsageError();
      if (!sqlite) refuse(locale, 'ops.store.redisBackup');
      const file = resolve(operand);
      const facts = soundFile(locale, file);
      if (facts.corp !== undefined && facts.corp !== corp) {
        refuse(locale, 'ops.store.otherCorp', { file, stored: corpName(locale, facts.corp), current: corpName(locale, corp) });
      }
      if (facts.schema > SCHEMA_VERSION) refuse(locale, 'ops.store.newer', { file, schema: facts.schema, supported: SCHEMA_VERSION });
      const done = await locked(locale, sqlitePath(config.storeUrl), () => restoreSqlite(file, sqlitePath(config.storeUrl)));
      return [
        t(locale, 'ops.store.restoreDone', { file, url, ...describe(locale, facts) }),
        ...(done.callbacks > 0 ? [t(locale, 'ops.store.inboxSetAside', { count: done.callbacks })] : []),
        ...done.jobs.map((job) => t(locale, 'ops.store.jobStopped', { type: job.type, user: job.user })),
        ...(done.aside ? [t(locale, 'ops.store.keptAside', { aside: done.aside })] : []),
      ];
    }
    case 'reset': {
      if (sqlite) {
        const path = sqlitePath(config.storeUrl);
        const aside = await locked(locale, path, () => setAside(path, 'before-reset'));
        return [t(locale, 'ops.store.resetDone', { url }), ...(aside ? [t(locale, 'ops.store.keptAside', { aside })] : [])];
      }
      const store = await createStore(config.storeUrl, { prefix: config.storePrefix });
      try {
        if (!argv.includes('--yes')) refuse(locale, 'ops.store.resetRedisConfirm', { url, prefix: config.storePrefix });
        await store.admin.wipe();
        return [t(locale, 'ops.store.resetRedisDone', { url, prefix: config.storePrefix })];
      } finally {
        await store.close();
      }
    }
    case 'adopt': {
      // The operator says a store written before stores recorded their corp is this corp's.
      if (sqlite && !existsSync(sqlitePath(config.storeUrl))) return fileProblem(locale, new StoreFileError('noStore', sqlitePath(config.storeUrl)));
      const store = await createStore(config.storeUrl, { prefix: config.storePrefix });
      try {
        const ready = await prepareStore(store, {
          corp,
          wecomCorpId: config.wecom?.corpId ?? '',
          tokenKeys: [],
          url,
          exclusive: sqlite,
          adopt: true,
        });
        await releaseStore(store);
        return [
          t(locale, ready.binding === 'same' ? 'ops.store.adoptSame' : 'ops.store.adopted', { url, corp: corpName(locale, corp), schema: ready.migrated.to }),
        ];
      } catch (err) {
        if (err instanceof StoreRefused) refuse(locale, 'ops.store.adoptRefused', { url, problem: err.message });
        throw err;
      } finally {
        await store.close();
      }
    }
    case 'copy': {
      if (!operand || !second) throw new UsageError();
      if (!operand.startsWith('sqlite://')) refuse(locale, 'ops.store.copyFrom', { from: operand });
      const from = sqlitePath(operand);
      const facts = soundFile(locale, from);
      if (facts.schema !== SCHEMA_VERSION) refuse(locale, 'ops.store.copySchema', { file: from, schema: facts.schema, supported: SCHEMA_VERSION });
      const to = displayStoreUrl(second);
      const target = await createStore(second, { prefix: config.storePrefix });
      try {
        if (!(await target.admin.isEmpty())) refuse(locale, 'ops.store.copyNotEmpty', { to, prefix: config.storePrefix });
        // Under the source's lock: the bot is not running on it, and cannot start while the copy reads it.
        const counts = await locked(locale, from, () => copySqliteStore(from, target));
        return [t(locale, 'ops.store.copyDone', { from: displayStoreUrl(operand), to, corp: corpName(locale, facts.corp), ...(await counts) })];
      } finally {
        await target.close();
      }
    }
    case 'info': {
      if (sqlite) {
        const path = sqlitePath(config.storeUrl);
        let facts: SqliteFileFacts;
        try {
          facts = readSqliteFile(path);
        } catch (err) {
          if (err instanceof StoreFileError) return [t(locale, 'ops.store.infoNone', { url })];
          throw err;
        }
        const free = await whileLocked(path, () => true);
        return [
          t(locale, 'ops.store.info', { url, ...describe(locale, facts), supported: SCHEMA_VERSION }),
          ...(free ? [] : [t(locale, 'ops.store.inUse', { pid: facts.process?.split('@')[0] ?? '?' })]),
        ];
      }
      const store = await createStore(config.storeUrl, { prefix: config.storePrefix });
      try {
        const meta = await store.admin.readMeta();
        const schema = await store.admin.schemaVersion();
        return [t(locale, 'ops.store.infoRedis', { url, prefix: config.storePrefix, corp: corpName(locale, meta.corp), schema, supported: SCHEMA_VERSION })];
      } finally {
        await store.close();
      }
    }
    default:
      throw new UsageError();
  }
}

async function main(): Promise<void> {
  exitIfNodeTooOld();
  const argv = process.argv.slice(2);
  let config: Config;
  try {
    ({ config } = loadConfigFromEnvironment());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${t(toolLocale(argv), 'ops.configError', { problem: err.message })}\n`);
    process.exit(1);
  }
  const locale = toolLocale(argv, config);
  try {
    for (const line of await run(argv, config, locale)) process.stdout.write(`${line}\n`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${t(locale, 'ops.store.usage')}\n`);
      process.exit(2);
    }
    process.stderr.write(`${err instanceof Refused ? err.message : t(locale, 'ops.store.failed', { problem: (err as Error).message })}\n`);
    process.exit(1);
  }
}

void main();
