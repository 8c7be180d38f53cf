/** A preview database as a provider hands it out. */
export interface BranchInfo {
  /** The branch name, also the database name for the `postgres` provider. */
  name: string;
  /** Connects as the preview runner role: no superuser rights. Migrations run through this. */
  url: string;
  /** Connects with the provider's own rights: introspection and measurements, never untrusted SQL. */
  adminUrl: string;
  createdAt: Date;
  /** Production's head the branch was copied at (see production-head.ts), when the provider knows it. */
  baseHead?: string;
}

/** The production copy previews are cloned from. */
export interface BaseInfo {
  name: string;
  /** Hash of production's ledger and schema the base was built from. */
  head: string;
  /** True when this call (re)built it. */
  rebuilt: boolean;
  builtAt: Date;
}

/**
 * Creates, resets and drops isolated copies of production. Implementations:
 * `postgres` (CREATE DATABASE ... TEMPLATE), later `neon` and `netlify`.
 */
export interface BranchProvider {
  readonly kind: string;
  /** Refuses with `branch_limit_reached` past the provider's cap. */
  create(name: string): Promise<BranchInfo>;
  /** Back to a fresh copy of production's current base. */
  reset(name: string): Promise<BranchInfo>;
  /** Idempotent: dropping a branch that is gone is not an error. */
  drop(name: string): Promise<void>;
  list(): Promise<BranchInfo[]>;
  /** Rebuilds the base when production's head moved; cheap when it did not. */
  refreshBase(): Promise<BaseInfo>;
  /** Drops branches older than the provider's TTL; returns their names. */
  dropExpired(): Promise<string[]>;
  /** Server URL (admin rights) where scratch databases for replay checks may be created, if any. */
  readonly scratchServerUrl?: string;
}
