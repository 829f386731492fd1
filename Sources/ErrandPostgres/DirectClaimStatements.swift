import Errand
import Foundation
import PostgresNIO

/// The common claim in one statement, with no transaction around it: the fast path of
/// ``PostgresRunStore/claimRuns(_:)`` (one round trip where ``ClaimStatements`` takes five).
///
/// It applies when the claim names its queues, none of them has a concurrency limit or is
/// paused, no parked run is due (so nothing needs promoting first), and the first `limit`
/// candidates in claim order each cost one slot and fit in the free slots. Then the claim rules
/// take exactly those candidates, as ``ClaimStatements`` would: they are read with the same
/// ordered probes of `runs_claim` (`FOR UPDATE SKIP LOCKED`) and made `executing`, their attempts
/// started (in the run's row, see ``AttemptColumns``), in one statement. When a condition does not
/// hold, the statement changes nothing and says so, and the claim takes the full path. Unless the
/// claim is `durable`, its commit does not wait for the disk (``ClaimStatements/commitSetting(durable:)``):
/// the queues it claims from have no limit.
///
/// The statement reads the named queues' settings `FOR SHARE`, so a change that gives a queue a
/// limit or pauses it (an `UPDATE` of its row, after its ``QueueSettingsLock``) and this claim
/// are ordered:
/// - a claim that locks the row first holds the change until the claim commits, so the claims
///   that count executing runs against the new limit see its runs;
/// - a change under way (holding or awaiting its `QueueSettingsLock`) keeps the claim off the
///   row: the statement declines as if a run were due, and the full claim leaves the queue out
///   while the change is pending;
/// - a change that committed after the statement began is read all the same (PostgreSQL reads
///   the newest version of a row it locks under `READ COMMITTED`), and the statement declines.
///
/// Without the lock the claim read the settings as of its start and could take runs of a queue
/// whose limit committed in the meantime, uncounted by another process's claim. The rows are
/// locked in the order of their names' bytes, as ``ClaimStatements`` and
/// ``PostgresRunStore/upsertQueues(_:)`` lock them. Every queue a worker claims from has a row:
/// its declared queues get theirs from `upsertQueues`, the others named in its configuration from
/// ``PostgresRunStore/createMissingQueues(_:)``, both at its start. (A claim made through the
/// store directly, for a queue no worker has started on, or by a worker of a version before
/// `createMissingQueues`, finds no row to lock, and a limit that first creates the row is not
/// ordered with that claim.)
enum DirectClaimStatements {
    /// What the statement did.
    enum Outcome {
        /// It claimed these runs (perhaps none), in claim order.
        case claimed([RunRecord])
        /// It changed nothing: the claim must take the full path. `limited` says whether that is
        /// because a named queue has a limit or is paused (which lasts), rather than because a
        /// parked run is due, a candidate costs more than one slot, or a change of a queue's
        /// settings is coming (which pass).
        case declined(limited: Bool)
    }

    /// Claims in one statement, or declines.
    static func claim(_ request: ClaimRequest, _ t: Tables, _ session: Session, durable: Bool = true) async throws -> Outcome {
        guard let queues = request.queues, !queues.isEmpty else { return .declined(limited: false) }
        var b = Binder()
        let now = b.add(ColumnCoding.time(request.now), "float8")
        let names = b.add(queues.sorted(), "text[]")
        let labels = b.add(request.labels.sorted(), "text[]")
        let limit = b.add(request.limit, "int8")
        let slots = b.add(request.slots ?? Int(Int32.max), "int8")
        let worker = b.add(request.workerID, "text")
        let lease = b.add(ColumnCoding.time(request.leaseUntil), "float8")
        func part(keyed: Bool) -> String {
            ClaimStatements.probe(
                t, source: "unnest(\(names)) AS g(queue)", group: "r.concurrency_key IS \(keyed ? "NOT " : "")NULL",
                limit: limit, sorted: keyed, now: now, labels: labels
            )
        }
        let sql = """
            WITH settings AS (
                SELECT concurrency, paused FROM \(t.queues)
                WHERE name = ANY(\(names)) AND \(QueueSettingsLock.shared(where: "name = ANY(\(names))", t))
                ORDER BY name COLLATE "C" FOR SHARE
            ), limits AS (
                SELECT NOT EXISTS (SELECT 1 FROM settings WHERE concurrency IS NOT NULL OR paused) AS unlimited
            ), gate AS (
                SELECT (SELECT unlimited FROM limits)
                    AND (SELECT count(*) FROM settings) = (SELECT count(*) FROM \(t.queues) WHERE name = ANY(\(names)))
                    AND NOT EXISTS (
                    SELECT 1 FROM \(t.runs) WHERE status IN \(Schema.parkedList) AND scheduled_at <= \(now)
                ) AS open
            ), candidates AS (
                SELECT * FROM (\(part(keyed: false)) UNION ALL \(part(keyed: true))) AS c
                WHERE (SELECT open FROM gate)
                ORDER BY priority DESC, scheduled_at, sequence LIMIT \(limit)
            ), fit AS (
                SELECT (SELECT open FROM gate) AND coalesce(bool_and(cost = 1), true) AND count(*) <= \(slots) AS ok FROM candidates
            ), claimed AS (
                UPDATE \(t.runs) SET status = 'executing', attempt_count = attempt_count + 1,
                    worker_id = \(worker), lease_expires_at = \(lease),
                    submitted_at = coalesce(submitted_at, \(now)), updated_at = \(now), cancel_requested_at = NULL,
                    attempt_started_at = \(now)
                WHERE sequence = ANY(ARRAY(SELECT sequence FROM candidates)) AND (SELECT ok FROM fit)
                RETURNING \(RunColumns.selection)
            )
            SELECT claimed.*, (SELECT ok FROM fit), (SELECT unlimited FROM limits) FROM \(ClaimStatements.commitSetting(durable: durable)) AS one
            LEFT JOIN claimed ON true
            """
        // The statement is prepared (`hotRows`), so PostgreSQL may run it with a generic plan, which
        // cannot know how many candidates `limit` lets through (it guesses a tenth of the table):
        // `sequence = ANY(ARRAY(…))` keeps the update on the primary key whatever the guess, where
        // `sequence IN (SELECT …)` let that plan hash-join a scan of the whole table.
        //
        // The update repeats no `status = 'queued'`: the candidates are locked (`FOR UPDATE SKIP
        // LOCKED`, their quals rechecked on the newest row version) by this statement, so nothing
        // else changes them before it commits. With that condition, `runs_claim` (partial, on
        // `status = 'queued'`) became a way to find the rows: statistics read while the table was
        // nearly empty (a fresh schema, the moment before a burst) price a scan of it at one row,
        // and PostgreSQL chose it over the primary key, reading every queued run to find the
        // candidates: 75 ms per claim with 40,000 queued (measured with `auto_explain`).
        let columns = RunColumns.names.count
        var (ok, unlimited) = (false, true)
        var runs: [RunRecord] = []
        for row in try await session.hotRows(b.query(sql)) {
            let reader = RowReader(row)
            (ok, unlimited) = (try reader.bool(columns), try reader.bool(columns + 1))
            if !reader.isNull(0) { runs.append(try RunColumns.record(reader)) }
        }
        guard ok else { return .declined(limited: !unlimited) }
        return .claimed(runs.sorted { ($0.priority, $1.scheduledAt, $1.sequence) > ($1.priority, $0.scheduledAt, $0.sequence) })
    }
}
