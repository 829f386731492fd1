import Errand
import Foundation
import PostgresNIO

/// The statements of ``PostgresRunStore/claimRuns(_:)``, in one transaction.
///
/// 1. Due `delayed`, `retrying` and `waiting` runs become `queued` (`runs_due`; rows another
///    transaction holds are skipped, `FOR UPDATE SKIP LOCKED`, and promoted by a later claim).
/// 2. The queues' settings are read; paused queues are left out. Without a queue list, the queues
///    holding queued runs are found by a skip scan of `runs_claim` (one probe per queue).
/// 3. Queues with a concurrency limit are locked (`SELECT … FOR UPDATE` on their `queues` rows,
///    in name order) for the rest of the transaction: this is what makes the limits global and
///    structural. Of every process's claims on a limited queue, one at a time runs past this
///    point, and it counts the queue's executing runs only after it holds the lock, so it sees
///    the runs every earlier claim started (they committed before releasing the lock). The rows
///    of the unlimited queues are locked `FOR SHARE` in the same pass (claims share them), so a
///    change that gives one a limit or pauses it waits for the claims in flight. A shared lock
///    is taken only when ``QueueSettingsLock`` says no change of the queue is under way;
///    otherwise the queue sits this claim out, so a change is never starved. A change that
///    committed since the first read is read from the locked row, and a queue that got a limit
///    so sits this claim out too (counting needs the exclusive lock; the next claim takes it).
///    With no limited queue the shared locks are taken by step 6 instead (no round trip of
///    their own). Workers make a row for every queue they claim from at their start
///    (``PostgresRunStore/createMissingQueues(_:)``); a queue with no row has nothing to lock
///    until one is made, and one made since the first read is locked and read like the others.
/// 4. Candidates, in claim order (priority, due time, sequence), each group read with an ordered
///    probe of `runs_claim` and `FOR UPDATE SKIP LOCKED`: for a limited queue, each concurrency
///    group (no key, and each key found by a skip scan) at most its free room; for an unlimited
///    queue, the runs without a key in index order and the keyed runs (rare) sorted.
/// 5. The candidates are walked in claim order as the claim rules say (a full group's or a too
///    costly run is skipped); only when a run was skipped for its cost are more candidates read
///    (twice as many, until the claim is full or none is left).
/// 6. One statement makes the chosen runs `executing` and starts their attempts (``AttemptColumns``).
///
/// Unless the claim is `durable`, or it took runs of a limited queue, its commit does not wait
/// for the disk (``commitSetting(durable:)``).
enum ClaimStatements {
    /// A one-row subquery for a claim statement's `FROM`; unless `durable`, evaluating it makes
    /// the current transaction's commit not wait for its WAL to reach the disk
    /// (`synchronous_commit = off` for this transaction only).
    ///
    /// For claims, where ``PostgresRunStore/Configuration/durableClaims`` is off (what that
    /// trades is said there). It is part of the claim statement rather than a `SET LOCAL`
    /// statement so that it costs no round trip: the one-statement claim has no transaction
    /// around it.
    static func commitSetting(durable: Bool) -> String {
        "(SELECT \(durable ? "1" : "set_config('synchronous_commit', 'off', true)"))"
    }

    /// A concurrency group.
    struct Group: Hashable {
        var queue: String
        var key: String?
    }

    /// A claimable run, with its place in claim order, its cost and its group.
    struct Candidate {
        var order: ClaimWalk<Group>.Order
        var cost: Int
        var group: Group
    }

    /// What a claim reads once: the queues in play and the limited groups' free room.
    struct Scope {
        /// Unpaused queues without a limit.
        var unlimited: [String] = []
        /// Those of ``unlimited`` whose rows (if they have one by then) the claim has yet to lock
        /// `FOR SHARE`, in step 6.
        var unlocked: [String] = []
        /// Groups of limited queues with free room, and that room.
        var room: [Group: Int] = [:]
        /// Whether a queue in play has a concurrency limit (with room or not), or sat this claim
        /// out while a change of its settings is under way: either may leave runs behind that a
        /// later claim can take (``Errand/ClaimOutcome/mayHaveHeldBack``).
        var mayHoldBack = false
    }

    /// What ``fit(_:_:_:)`` took from candidates in claim order.
    struct Fit {
        var taken: [Candidate] = []
        /// Whether a candidate was passed over because its cost exceeded the slots left.
        var skippedForCost = false
        /// Whether the claim was full (its limit reached, or no slot left).
        var full = false
    }

    /// Claims runs inside the current transaction; `durable: false` lets its commit skip the wait
    /// for the disk when it takes no run of a limited queue (``commitSetting(durable:)``).
    static func claim(_ request: ClaimRequest, _ t: Tables, _ session: Session, durable: Bool = true) async throws -> ClaimOutcome {
        let scope = try await scope(request, t, session)
        if let slots = request.slots, slots <= 0 { return ClaimOutcome(runs: [], mayHaveHeldBack: true) }
        if scope.unlimited.isEmpty && scope.room.isEmpty { return ClaimOutcome(runs: [], mayHaveHeldBack: scope.mayHoldBack) }
        let (chosen, passedOver) = try await choose(request, scope, t, session)
        let heldBack = scope.mayHoldBack || passedOver
        if chosen.isEmpty { return ClaimOutcome(runs: [], mayHaveHeldBack: heldBack) }
        let limitedQueues = Set(scope.room.keys.map(\.queue))
        let flush = durable || chosen.contains { limitedQueues.contains($0.group.queue) }
        let runs = try await start(chosen, request, scope, flush: flush, t, session)
        // Fewer runs than chosen: a queue's settings changed under the claim, which left its runs.
        return ClaimOutcome(runs: runs, mayHaveHeldBack: heldBack || runs.count < chosen.count)
    }

    /// Queue names in the order every statement locks `queues` rows in: their UTF-8 bytes, the
    /// order of `COLLATE "C"` (whatever the database's collation).
    static func inLockOrder(_ names: [String]) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Promotes due runs, reads the settings (and, without a queue list, finds the queues
    /// holding queued runs) in one statement, then locks the limited queues and counts their
    /// executing runs.
    private static func scope(_ request: ClaimRequest, _ t: Tables, _ session: Session) async throws -> Scope {
        let now = ColumnCoding.time(request.now)
        // The skip scan runs on the snapshot from before the promotion; the promoted runs' queues
        // come from the promotion itself. `= ANY(ARRAY(…))` makes the promotion find its rows by
        // the primary key, never by a join the planner might turn into a scan of the table.
        let rows = try await session.map(
            """
            WITH RECURSIVE promoted AS (
                UPDATE \(unescaped: t.runs) SET status = 'queued', updated_at = \(now)
                WHERE sequence = ANY(ARRAY(
                    SELECT sequence FROM \(unescaped: t.runs)
                    WHERE status IN \(unescaped: Schema.parkedList) AND scheduled_at <= \(now)
                    FOR UPDATE SKIP LOCKED
                ))
                RETURNING queue
            ), found(queue) AS (
                SELECT min(queue) FROM \(unescaped: t.runs) WHERE status = 'queued' AND \(request.queues == nil)
                UNION ALL
                SELECT (SELECT min(queue) FROM \(unescaped: t.runs) WHERE status = 'queued' AND queue > found.queue)
                FROM found WHERE found.queue IS NOT NULL
            )
            SELECT true, name, concurrency, paused FROM \(unescaped: t.queues)
            UNION ALL
            SELECT false, queue, NULL::int8, NULL::bool FROM (SELECT DISTINCT queue FROM promoted) AS p
            UNION ALL
            SELECT false, queue, NULL::int8, NULL::bool FROM found WHERE queue IS NOT NULL
            """
        ) { row in
            (setting: try row.bool(0), name: try row.string(1), concurrency: try row.optionalInt(2), paused: try row.optionalBool(3))
        }
        let settings = rows.filter(\.setting).map { (name: $0.name, concurrency: $0.concurrency, paused: $0.paused ?? false) }
        let queues = request.queues.map { $0.sorted() } ?? Array(Set(rows.filter { !$0.setting }.map(\.name))).sorted()
        let byName = Dictionary(settings.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var scope = Scope()
        var limits: [String: Int] = [:]
        for queue in queues {
            let setting = byName[queue]
            if setting?.paused == true { continue }
            if let limit = setting?.concurrency {
                limits[queue] = limit
            } else {
                scope.unlimited.append(queue)
            }
        }
        scope.mayHoldBack = !limits.isEmpty
        if limits.isEmpty {
            // Locked by `start` in this order (the names' bytes, the order every claim and
            // change of the settings follows).
            scope.unlocked = inLockOrder(scope.unlimited)
            return scope
        }
        // Every row in play, locked in one pass in code-point order (the order `upsertQueues`
        // and the one-statement claim take them in, whatever the database's collation): the
        // limited ones `FOR UPDATE`, the others `FOR SHARE`. The `LATERAL` subqueries lock each
        // name's row as the outer `unnest` reaches it, so the order is the array's. The settings
        // are read from the locked rows: a limit lowered or a pause set since the first read
        // counts from here. A queue that had no row has none to lock unless one was made since.
        let names = inLockOrder(Array(limits.keys) + scope.unlimited)
        let exclusive = names.map { limits[$0] != nil }
        let locked = try await session.map(
            """
            SELECT n.name, n.exclusive, coalesce(x.concurrency, s.concurrency), coalesce(x.paused, s.paused, false),
                coalesce(x.held OR s.held, NOT EXISTS (SELECT 1 FROM \(unescaped: t.queues) WHERE name = n.name))
            FROM unnest(\(names)::text[], \(exclusive)::bool[]) AS n(name, exclusive)
            LEFT JOIN LATERAL (
                SELECT concurrency, paused, true AS held FROM \(unescaped: t.queues) WHERE name = n.name AND n.exclusive FOR UPDATE
            ) AS x ON true
            LEFT JOIN LATERAL (
                SELECT concurrency, paused, true AS held FROM \(unescaped: t.queues)
                WHERE name = n.name AND NOT n.exclusive AND \(unescaped: QueueSettingsLock.shared(where: "name = n.name", t)) FOR SHARE
            ) AS s ON true
            """
        ) { row in
            (
                name: try row.string(0), exclusive: try row.bool(1), concurrency: try row.optionalInt(2), paused: try row.bool(3),
                settled: try row.bool(4)
            )
        }
        limits = [:]
        scope.unlimited = []
        // A queue whose row was not locked (a change of it is coming) sits this claim out.
        for queue in locked where queue.settled && !queue.paused {
            if let limit = queue.concurrency {
                // A queue that got its limit since the first read is held only `FOR SHARE`:
                // it sits this claim out.
                if queue.exclusive { limits[queue.name] = limit }
            } else {
                scope.unlimited.append(queue.name)
            }
        }
        if locked.contains(where: { !$0.settled }) { scope.mayHoldBack = true }
        scope.unlimited.sort()
        if limits.isEmpty { return scope }
        let limited = limits.keys.sorted()
        let executing = try await session.map(
            """
            SELECT queue, concurrency_key, count(*) FROM \(unescaped: t.runs)
            WHERE status = 'executing' AND queue = ANY(\(limited)) GROUP BY queue, concurrency_key
            """
        ) { row in (Group(queue: try row.string(0), key: try row.optionalString(1)), try row.int(2)) }
        let counts = Dictionary(executing, uniquingKeysWith: +)
        let keys = try await session.map(
            """
            WITH RECURSIVE found(queue, key) AS (
                SELECT q, (SELECT min(concurrency_key) FROM \(unescaped: t.runs) WHERE status = 'queued' AND queue = q)
                FROM unnest(\(limited)::text[]) AS q
                UNION ALL
                SELECT found.queue, (
                    SELECT min(concurrency_key) FROM \(unescaped: t.runs)
                    WHERE status = 'queued' AND queue = found.queue AND concurrency_key > found.key
                )
                FROM found WHERE found.key IS NOT NULL
            )
            SELECT queue, key FROM found WHERE key IS NOT NULL
            """
        ) { row in Group(queue: try row.string(0), key: try row.string(1)) }
        for group in limited.map({ Group(queue: $0, key: nil) }) + keys {
            let room = (limits[group.queue] ?? 0) - counts[group, default: 0]
            if room > 0 { scope.room[group] = room }
        }
        return scope
    }

    /// The candidates the claim rules take, in claim order.
    ///
    /// First the best `limit` candidates, each limited group read up to its free room: without
    /// ``ClaimRequest/slots``, or when no candidate among them is too costly for the slots left,
    /// those are the runs to take. Only when a candidate is skipped for its cost may a later one
    /// be taken instead: then the first `n` candidates of every group are read, for `n` twice the
    /// limit, doubling until the claim is full or every candidate was read.
    ///
    /// Also says whether a candidate was passed over for its cost, or the slots ran out before
    /// the limit (runs may have been left behind for want of slots).
    private static func choose(
        _ request: ClaimRequest, _ scope: Scope, _ t: Tables, _ session: Session
    ) async throws -> (taken: [Candidate], passedOver: Bool) {
        let limit = request.limit
        let first = try await candidates(request, scope, count: limit, withinRoom: true, t, session)
        let fast = fit(first, request, scope)
        if !fast.skippedForCost { return (fast.taken, fast.full && fast.taken.count < limit) }
        var count = limit > Int.max / 4 ? Int.max / 2 : limit * 2
        while true {
            let found = try await candidates(request, scope, count: count, withinRoom: false, t, session)
            let outcome = fit(found, request, scope)
            if outcome.full || found.count < count || count >= Int.max / 2 { return (outcome.taken, true) }
            count *= 2
        }
    }

    /// Walks candidates in claim order as the claim rules do: one whose cost exceeds the slots
    /// left, or whose group is full, is skipped; the walk ends at the limit or with no slot left.
    static func fit(_ candidates: [Candidate], _ request: ClaimRequest, _ scope: Scope) -> Fit {
        var walk = ClaimWalk<Group>(request)
        var fit = Fit()
        for candidate in candidates where !walk.isFull {
            if walk.offer(cost: candidate.cost, group: candidate.group, room: scope.room[candidate.group]) { fit.taken.append(candidate) }
        }
        fit.skippedForCost = walk.skippedForCost
        fit.full = walk.isFull
        return fit
    }

    /// The first `count` candidates in claim order over every group in scope, each group read up
    /// to `count` (and up to its free room when `withinRoom`), locked with `FOR UPDATE SKIP LOCKED`.
    private static func candidates(
        _ request: ClaimRequest, _ scope: Scope, count: Int, withinRoom: Bool, _ t: Tables, _ session: Session
    ) async throws -> [Candidate] {
        var plainQueues: [String] = [], plainLimits: [Int] = []
        var keyedQueues: [String] = [], keyedKeys: [String] = [], keyedLimits: [Int] = []
        for (group, room) in scope.room {
            let cap = withinRoom ? min(room, count) : count
            if let key = group.key {
                keyedQueues.append(group.queue)
                keyedKeys.append(key)
                keyedLimits.append(cap)
            } else {
                plainQueues.append(group.queue)
                plainLimits.append(cap)
            }
        }
        var b = Binder()
        let now = b.add(ColumnCoding.time(request.now), "float8")
        let labels = b.add(request.labels.sorted(), "text[]")
        let unlimited = b.add(scope.unlimited, "text[]")
        let countParameter = b.add(count, "int8")
        let (pq, pl) = (b.add(plainQueues, "text[]"), b.add(plainLimits, "int8[]"))
        let (kq, kk, kl) = (b.add(keyedQueues, "text[]"), b.add(keyedKeys, "text[]"), b.add(keyedLimits, "int8[]"))
        // Within one group the key is constant, so ordering by it first changes nothing but lets
        // PostgreSQL read `runs_claim` in order (it does not take `IS NULL` as fixing the column):
        // a group costs a probe, not a sort of its queued runs. The keyed runs of an unlimited
        // queue span many keys and are sorted (they are rare).
        func part(_ source: String, group: String, limit: String, sorted: Bool = false) -> String {
            probe(t, source: source, group: group, limit: limit, sorted: sorted, now: now, labels: labels)
        }
        let sql = """
            SELECT * FROM (
                \(part("unnest(\(unlimited)) AS g(queue)", group: "r.concurrency_key IS NULL", limit: countParameter))
                UNION ALL
                \(part("unnest(\(unlimited)) AS g(queue)", group: "r.concurrency_key IS NOT NULL", limit: countParameter, sorted: true))
                UNION ALL
                \(part("unnest(\(pq), \(pl)) AS g(queue, n)", group: "r.concurrency_key IS NULL", limit: "g.n"))
                UNION ALL
                \(part("unnest(\(kq), \(kk), \(kl)) AS g(queue, key, n)", group: "r.concurrency_key = g.key", limit: "g.n"))
            ) AS candidates
            ORDER BY priority DESC, scheduled_at, sequence
            """
        var found = try await session.map(b.query(sql)) { row in
            Candidate(
                order: .init(priority: try row.int(1), scheduledAt: try row.optionalDouble(2) ?? 0, sequence: try row.int64(0)),
                cost: try row.int(3), group: Group(queue: try row.string(4), key: try row.optionalString(5))
            )
        }
        if found.count > count { found.removeLast(found.count - count) }
        return found
    }

    /// The claimable runs of each group `source` yields (rows with a `queue` column, `g`), at most
    /// `limit` per group, read in claim order and locked with `FOR UPDATE SKIP LOCKED`. `group`
    /// narrows the concurrency key; `now` and `labels` are placeholders of the claim's time and
    /// the worker's labels. Without `sorted` the key leads the order, which is constant within a
    /// group and lets PostgreSQL read `runs_claim` in order instead of sorting.
    static func probe(
        _ t: Tables, source: String, group: String, limit: String, sorted: Bool, now: String, labels: String
    ) -> String {
        """
        SELECT c.* FROM \(source) CROSS JOIN LATERAL (
            SELECT r.sequence, r.priority, r.scheduled_at, r.cost, r.queue, r.concurrency_key FROM \(t.runs) AS r
            WHERE r.status = 'queued' AND r.queue = g.queue AND \(group)
                AND (r.expires_at IS NULL OR r.expires_at > \(now) OR r.attempt_count > 0)
                AND (r.required_labels IS NULL OR r.required_labels <@ \(labels))
            ORDER BY \(sorted ? "" : "r.concurrency_key, ")r.priority DESC, r.scheduled_at, r.sequence LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
        ) AS c
        """
    }

    /// Makes the chosen runs `executing` and starts their attempts (in the runs' rows, see
    /// ``AttemptColumns``), in one statement; returns the claimed records in claim order. Without
    /// `flush`, the statement also lets the commit skip the wait for the disk (``commitSetting(durable:)``).
    ///
    /// The chosen runs are locked by this transaction (``choose(_:_:_:_:)``), so the update needs
    /// no `status = 'queued'`, and must not have it: that condition lets PostgreSQL find the rows
    /// by scanning `runs_claim` instead of by the primary key (see ``DirectClaimStatements``).
    ///
    /// The statement also locks the rows of `scope.unlocked` `FOR SHARE` (step 3) and leaves out
    /// the runs of a queue whose locked row has since got a limit or been paused, or whose row
    /// it did not lock (a change of it is coming, ``QueueSettingsLock``).
    private static func start(
        _ chosen: [Candidate], _ request: ClaimRequest, _ scope: Scope, flush: Bool, _ t: Tables, _ session: Session
    ) async throws -> [RunRecord] {
        let now = ColumnCoding.time(request.now)
        let sequences = chosen.map(\.order.sequence)
        let runs = try await session.map(
            """
            WITH settings AS (
                SELECT n.name, s.concurrency, s.paused FROM unnest(\(scope.unlocked)::text[]) AS n(name) CROSS JOIN LATERAL (
                    SELECT concurrency, paused FROM \(unescaped: t.queues)
                    WHERE name = n.name AND \(unescaped: QueueSettingsLock.shared(where: "name = n.name", t)) FOR SHARE
                ) AS s
            )
            UPDATE \(unescaped: t.runs) SET status = 'executing', attempt_count = attempt_count + 1,
                worker_id = \(request.workerID), lease_expires_at = \(ColumnCoding.time(request.leaseUntil)),
                submitted_at = coalesce(submitted_at, \(now)), updated_at = \(now), cancel_requested_at = NULL,
                attempt_started_at = \(now)
            FROM \(unescaped: commitSetting(durable: flush)) AS commit_setting
            WHERE sequence = ANY(\(sequences))
                AND queue NOT IN (SELECT name FROM settings WHERE concurrency IS NOT NULL OR paused)
                AND queue NOT IN (
                    SELECT name FROM \(unescaped: t.queues) WHERE name = ANY(\(scope.unlocked)) EXCEPT SELECT name FROM settings
                )
            RETURNING \(unescaped: RunColumns.selection)
            """,
            RunColumns.record
        )
        let order = Dictionary(uniqueKeysWithValues: sequences.enumerated().map { ($1, $0) })
        return runs.sorted { order[$0.sequence, default: 0] < order[$1.sequence, default: 0] }
    }
}
