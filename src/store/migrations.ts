import type { Migration } from './types.js';

/**
 * Every change of what a store holds, numbered. A store records the version its data was written in (SQLite
 * `user_version`, Redis `<prefix>:schema`); at start the migrations above it run in order. Each is tested from a
 * store the version before it wrote (`test/fixtures/stores/`). A new migration is appended here, never edited once
 * released.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'the store records which corp it belongs to (SQLite table meta; Redis hash <prefix>:meta)',
    sqlite(db) {
      db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    },
    // The hash is created by its first write.
    async redis() {},
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
