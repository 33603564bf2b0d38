/** One step of the database schema, applied once, in order of `version`. */
export interface Migration {
  /** Its place in the order: 1, 2, 3, ... with no gaps. */
  version: number;
  /** What it does, in snake_case (recorded next to the version). */
  name: string;
  /** The statements it runs, in one transaction. */
  sql: string;
}

/**
 * The tables of the store's row tables as first created: a row's JSON in `data`, its insertion
 * order in `seq` (lists page by it), and a GIN index for `data @> filter` lookups. Migrations
 * use it to add such tables, so it never changes: a change to these tables is a new migration.
 */
function rowTableV1(table: string): string {
  return `
CREATE TABLE ${table} (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  seq bigserial NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX ${table}_tenant_seq ON ${table} (tenant_id, seq);
CREATE INDEX ${table}_data ON ${table} USING gin (data jsonb_path_ops);
`;
}

/**
 * Every migration of the store's schema, oldest first. Kept as code rather than `.sql` files so
 * a bundled build carries them; a released migration is never changed, only followed by more.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create_store_tables',
    sql: [
      'documents',
      'reviews',
      'findings',
      'frameworks',
      'webhook_endpoints',
      'webhook_deliveries',
      'connections',
      'watches',
      'api_keys',
    ]
      .map(rowTableV1)
      .join('')
      .concat(`
CREATE TABLE contents (
  tenant_id text NOT NULL,
  document_id text NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (tenant_id, document_id)
);
CREATE TABLE audit_events (
  tenant_id text NOT NULL,
  sequence integer NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (tenant_id, sequence)
);
CREATE INDEX audit_events_data ON audit_events USING gin (data jsonb_path_ops);
CREATE TABLE review_cache (
  key text PRIMARY KEY,
  review jsonb NOT NULL
);
`),
  },
  {
    version: 2,
    name: 'create_idempotency_keys',
    // One row per tenant and Idempotency-Key: the request's fingerprint while it runs, then its
    // answer until `expires_at`. The index serves the purge of expired rows.
    sql: `
CREATE TABLE idempotency_keys (
  tenant_id text NOT NULL,
  idempotency_key text NOT NULL,
  fingerprint text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
  response_status integer,
  response_headers jsonb,
  response_body bytea,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key),
  CHECK (status = 'in_progress' OR (response_status IS NOT NULL
    AND response_headers IS NOT NULL AND response_body IS NOT NULL))
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
`,
  },
  {
    version: 3,
    name: 'create_review_checkpoints',
    // The sections a running review has done, so a review run again after a crash skips them.
    sql: rowTableV1('review_checkpoints'),
  },
  {
    version: 4,
    name: 'create_jobs',
    // Reviews waiting to run, running (leased by a worker until `lease_until`, renewed while it
    // runs: a lease that lapses means its worker died, and any worker takes the job again), done,
    // or dead after too many attempts. One row per review: its id is `review:<review id>`.
    sql: `
CREATE TABLE jobs (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('review')),
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  worker_id text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'running' OR (lease_until IS NOT NULL AND worker_id IS NOT NULL))
);
CREATE INDEX jobs_queued ON jobs (run_after) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (lease_until) WHERE status = 'running';
`,
  },
  {
    version: 5,
    name: 'create_token_usage',
    // Model tokens each tenant used per month (`<tenant>:<YYYY-MM>`), for token allowances.
    sql: rowTableV1('token_usage'),
  },
  {
    version: 6,
    name: 'create_oauth_tables',
    // An OAuth flow's single-use state (bound to tenant, user and provider; its PKCE verifier
    // encrypted like every secret) until its callback or expiry; and each connection's tokens,
    // encrypted under the key `key_id`, `version` bumped by every write so a refresh stores its
    // rotated tokens only over the ones it read.
    sql: `
CREATE TABLE oauth_states (
  state text PRIMARY KEY,
  tenant_id text NOT NULL,
  actor_id text NOT NULL,
  provider text NOT NULL,
  connection_id text NOT NULL,
  verifier_key_id text NOT NULL,
  verifier_ciphertext bytea NOT NULL,
  return_url text,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_expires_at ON oauth_states (expires_at);
CREATE TABLE connection_secrets (
  connection_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  key_id text NOT NULL,
  ciphertext bytea NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 7,
    name: 'create_sharepoint_watch_tables',
    // The state of each SharePoint watch (its drive and folder, its Graph subscription with the
    // subscription's secret encrypted like every secret, where its delta query is up to, and when
    // an instance last swept it); the content versions already sent for review, by the watch
    // whose review they went to; and the write-back of each finished review of a watched file
    // (claimed by one instance at a time, retried after `next_attempt_at`, done at `done_at`).
    // The partial index finds the finished reviews of watched files.
    sql: `
CREATE TABLE sharepoint_watches (
  watch_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  drive_id text NOT NULL,
  folder_path text,
  file_types jsonb NOT NULL DEFAULT '[]'::jsonb,
  results_folder text,
  framework text,
  model text,
  subscription_id text NOT NULL UNIQUE,
  client_state_key_id text NOT NULL,
  client_state_ciphertext bytea NOT NULL,
  expiration timestamptz NOT NULL,
  delta_link text NOT NULL,
  swept_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sharepoint_watches_expiration ON sharepoint_watches (expiration);
CREATE INDEX sharepoint_watches_swept_at ON sharepoint_watches (swept_at);
CREATE TABLE sharepoint_seen_versions (
  watch_id text NOT NULL,
  version_key text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (watch_id, version_key)
);
CREATE INDEX sharepoint_seen_versions_version_key ON sharepoint_seen_versions (version_key);
CREATE TABLE sharepoint_write_backs (
  review_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  watch_id text NOT NULL,
  done_at timestamptz,
  outcome text,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sharepoint_write_backs_due ON sharepoint_write_backs (next_attempt_at)
  WHERE done_at IS NULL;
CREATE INDEX sharepoint_write_backs_watch_id ON sharepoint_write_backs (watch_id);
CREATE INDEX reviews_sharepoint_finished
  ON reviews ((data -> 'metadata' ->> 'watchId'), (data ->> 'completedAt'))
  WHERE data ->> 'status' IN ('succeeded', 'failed')
    AND (data -> 'metadata' ->> 'watchId') IS NOT NULL;
`,
  },
  {
    version: 8,
    name: 'add_sharepoint_version_claims',
    // A content version an instance is reviewing is claimed by it until `claimed_until`, so no
    // other instance reviews it meanwhile; a claim whose time has passed was abandoned (its
    // instance died) and may be taken over. NULL: the version was sent for review, as every
    // version recorded before claims was.
    sql: `
ALTER TABLE sharepoint_seen_versions ADD COLUMN claimed_until timestamptz;
`,
  },
];
