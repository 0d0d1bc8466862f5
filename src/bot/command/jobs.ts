/** Durable jobs: long work kept in the store so a restart resumes it. */
import type { Locale } from '../../config.js';

/** A long-running piece of work kept in the store, so a restart resumes it. */
export interface JobRecord<S = unknown> {
  id: string;
  /** The CorpID it was started for (absent in jobs of stores older than schema 1, which are the store's corp's). */
  corp?: string;
  type: string;
  /** Who started it (progress and the summary go to them). */
  user: string;
  locale: Locale;
  state: S;
  status: 'running' | 'done' | 'failed';
  /** Until when the running process owns it (renewed as it works); 0 when released. */
  leaseUntil: number;
  createdAt: number;
  updatedAt: number;
}

/** What a job runner gets besides its record. */
export interface JobControl<S> {
  /** Saves the state (after each step) and renews the lease. */
  save(state: S): Promise<void>;
  /** True once the process is stopping: the runner returns at the next step boundary. */
  readonly stopping: boolean;
}

/** Starting durable jobs (a transfer of thousands of customers). */
export interface JobStarter {
  /** Starts a job of a type some command declared in `jobs`; it runs in the background and survives restarts. */
  start<S>(type: string, user: string, locale: Locale, state: S): Promise<JobRecord<S>>;
  /**
   * The running job of `type` whose state `where` picks, and whether some instance holds its lease (`live`). One whose
   * instance died (its lease lapsed) is taken over now, without waiting for the next look for dead instances' jobs.
   */
  findRunning<S>(type: string, where: (state: S) => boolean): Promise<{ job: JobRecord<S>; live: boolean } | undefined>;
}
