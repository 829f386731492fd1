-- The side-table layout: `runs` without any index on its status (so a claim and a completion can
-- be heap-only updates), queued runs in `ready`, executing ones in `executing`.
DROP SCHEMA IF EXISTS side CASCADE;
CREATE SCHEMA side;
CREATE TABLE side.runs (LIKE errand.runs INCLUDING DEFAULTS INCLUDING IDENTITY);
ALTER TABLE side.runs ADD PRIMARY KEY (sequence);
ALTER TABLE side.runs ADD UNIQUE (id);
CREATE INDEX ON side.runs (task, sequence);
CREATE UNIQUE INDEX ON side.runs (task, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ON side.runs (parent_id, sequence) WHERE parent_id IS NOT NULL;
CREATE INDEX ON side.runs (origin_kind, origin_ref, sequence) WHERE origin_kind <> 'app';
CREATE INDEX ON side.runs (event_id, sequence) WHERE event_id IS NOT NULL;
CREATE TABLE side.ready (sequence bigint PRIMARY KEY, queue text NOT NULL, concurrency_key text, priority bigint NOT NULL, scheduled_at float8 NOT NULL);
CREATE INDEX ready_claim ON side.ready (queue, concurrency_key, priority DESC, scheduled_at, sequence);
CREATE TABLE side.executing (sequence bigint PRIMARY KEY, queue text NOT NULL, concurrency_key text, worker_id text NOT NULL, lease_expires_at float8 NOT NULL);
CREATE INDEX executing_group ON side.executing (queue, concurrency_key);
-- Room on each page for the claim's and the completion's row versions (heap-only updates need it).
ALTER TABLE side.runs SET (fillfactor = 50);
ALTER TABLE side.ready SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE side.executing SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_cost_delay = 0);
