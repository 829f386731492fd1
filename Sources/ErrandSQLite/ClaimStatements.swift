import Errand
import Foundation
import GRDB

/// The statements of ``SQLiteRunStore/claimRuns(_:)``.
///
/// Every read is an ordered probe of a partial index, so a claim's cost depends on the queues,
/// concurrency groups and runs it takes, not on how many runs are stored:
/// 1. `runs_due` promotes due `delayed`, `retrying` and `waiting` runs (runs due later, and runs
///    parked until woken, are never visited).
/// 2. `runs_claim` (queue, concurrency key, priority desc, due time, sequence) lists the queues
///    holding queued runs (a skip scan, one seek per queue) and each queue's concurrency groups
///    (one seek per group).
/// 3. For each group with free slots, its first candidates in claim order are read from
///    `runs_claim`, at most as many as the group has free slots and the request's limit, and
///    never past the worst of the best `limit` candidates found so far. A full group costs one
///    seek, however many runs wait in it.
/// 4. The best `limit` candidates over all queues become `executing`, each with an attempt row:
///    their rows are read and updated ``rowsPerStatement`` at a time (`sequence IN (…)`), and the
///    claimed records are the rows read with the update applied, exactly as ``MemoryRunStore``
///    applies it.
///
/// Worker routing: a candidate must require no labels (`required_labels IS NULL`, the common case,
/// checked on the row the time-to-live test reads anyway) or only labels the request has. With
/// ``ClaimRequest/slots``, the best candidates are walked in claim order and one that does not fit
/// the slots left is skipped; only when that happens may runs beyond the first `limit` (or beyond
/// a group's free room) be taken, so only then are more candidates read (see `choose`). Runs a
/// worker cannot take (labels it lacks, a cost above its slots) stay in `runs_claim`: a claim steps
/// over those ahead of the runs it takes.
///
/// Because a group's candidates come in claim order and only a group's own claims fill its slots,
/// this takes exactly the runs the claim rules of ``RunStore`` take.
enum ClaimStatements {
    /// A claimable run, with what orders it, its cost, and its concurrency group's free room.
    private struct Candidate {
        var sequence: Int64
        var priority: Int
        var scheduledAt: Double
        var cost: Int
        /// The candidate's concurrency group, numbered in the order groups are read.
        var group: Int
        /// How many more runs its group may start (`Int.max` without a limit).
        var room: Int

        /// Priority (higher first), then due time, then sequence.
        static func inClaimOrder(_ a: Candidate, _ b: Candidate) -> Bool {
            ClaimWalk<Int>.precedes(
                .init(priority: a.priority, scheduledAt: a.scheduledAt, sequence: a.sequence),
                .init(priority: b.priority, scheduledAt: b.scheduledAt, sequence: b.sequence)
            )
        }
    }

    /// The best candidates found so far: at most `limit`, in claim order.
    private struct Best {
        let limit: Int
        private(set) var candidates: [Candidate] = []

        /// Whether a candidate could still be among the best (once full, it must beat the worst).
        func admits(_ candidate: Candidate) -> Bool {
            candidates.count < limit || Candidate.inClaimOrder(candidate, candidates[candidates.count - 1])
        }

        /// Adds a group's candidates and keeps the best `limit`.
        mutating func add(_ group: [Candidate]) {
            if group.isEmpty { return }
            candidates += group
            candidates.sort(by: Candidate.inClaimOrder)
            if candidates.count > limit { candidates.removeLast(candidates.count - limit) }
        }
    }

    /// What ``fit(_:_:)`` took from a list of candidates in claim order.
    private struct Fit {
        var taken: [Candidate] = []
        /// Whether a candidate was passed over because its cost exceeded the slots left.
        var skippedForCost = false
        /// Whether the claim was full (its limit reached, or no slot left) before the list ended.
        var full = false
    }

    private struct QueueSettings {
        var concurrency: Int?
        var paused: Bool
    }

    /// What a claim reads, fixed for the whole claim.
    private struct Scan {
        let request: ClaimRequest
        let now: Double
        /// The request's labels as a JSON array, `nil` when it has none.
        let labels: String?
        let settings: [String: QueueSettings]
        let queues: [String]
    }

    static let promoteSQL = """
        UPDATE runs SET status = 'queued', updated_at = ?
        WHERE \(Schema.parkedCondition) AND scheduled_at <= ?
        """
    static let settingsSQL = "SELECT name, concurrency, paused FROM queues"
    static let firstQueueSQL = "SELECT min(queue) FROM runs INDEXED BY runs_claim WHERE status = 'queued'"
    static let nextQueueSQL = "SELECT min(queue) FROM runs INDEXED BY runs_claim WHERE status = 'queued' AND queue > ?"
    static let executingSQL = """
        SELECT concurrency_key, count(*) FROM runs INDEXED BY runs_executing
        WHERE status = 'executing' AND queue = ? GROUP BY concurrency_key
        """
    static let firstKeySQL = "SELECT min(concurrency_key) FROM runs INDEXED BY runs_claim WHERE status = 'queued' AND queue = ?"
    static let nextKeySQL = """
        SELECT min(concurrency_key) FROM runs INDEXED BY runs_claim
        WHERE status = 'queued' AND queue = ? AND concurrency_key > ?
        """

    /// A worker without labels only claims runs requiring none: `required_labels` is `NULL` for
    /// them (see ``Schema/v5``), so the common case costs one `NULL` test per candidate and no
    /// parsing. A worker with labels also claims the runs whose every required label is among
    /// its own (a JSON array bound as a parameter); only runs requiring labels are parsed.
    private static let labelledCondition = """
        (required_labels IS NULL OR NOT EXISTS (
            SELECT 1 FROM json_each(runs.required_labels) WHERE json_each.value NOT IN (SELECT value FROM json_each(?))
        ))
        """

    /// One group's candidates in claim order from `runs_claim`: parameters queue, the key (when
    /// `keyed`), now, the request's labels (when `labelled`), the limit.
    private static func candidatesSQL(keyed: Bool, labelled: Bool) -> String {
        """
        SELECT sequence, priority, scheduled_at, cost FROM runs INDEXED BY runs_claim
        WHERE status = 'queued' AND queue = ? AND \(keyed ? "concurrency_key = ?" : "concurrency_key IS NULL")
            AND (expires_at IS NULL OR expires_at > ? OR attempt_count > 0)
            AND \(labelled ? labelledCondition : "required_labels IS NULL")
        ORDER BY priority DESC, scheduled_at, sequence LIMIT ?
        """
    }

    static let keyCandidatesSQL = candidatesSQL(keyed: true, labelled: false)
    static let noKeyCandidatesSQL = candidatesSQL(keyed: false, labelled: false)
    static let labelledKeyCandidatesSQL = candidatesSQL(keyed: true, labelled: true)
    static let labelledNoKeyCandidatesSQL = candidatesSQL(keyed: false, labelled: true)

    /// Runs claimed per statement of ``selectChunkSQL`` and ``startChunkSQL``.
    static let rowsPerStatement = 32
    private static let sequenceList = Array(repeating: "?", count: rowsPerStatement).joined(separator: ", ")
    static let selectChunkSQL = "SELECT \(RunColumns.selection) FROM runs WHERE sequence IN (\(sequenceList))"
    /// Makes runs `executing`: one statement for many rows, so SQLite's per-statement work is
    /// shared by them.
    static let startChunkSQL = """
        UPDATE runs SET status = 'executing', attempt_count = attempt_count + 1, worker_id = ?, lease_expires_at = ?,
            submitted_at = coalesce(submitted_at, ?), updated_at = ?, cancel_requested_at = NULL
        WHERE sequence IN (\(sequenceList))
        """

    /// Claims runs inside the current transaction.
    static func claim(_ request: ClaimRequest, _ db: Database) throws -> ClaimOutcome {
        let now = ColumnCoding.time(request.now)
        try db.cachedStatement(sql: promoteSQL).execute(arguments: [now, now])
        if let slots = request.slots, slots <= 0 { return ClaimOutcome(runs: [], mayHaveHeldBack: true) }

        let settings = try queueSettings(db)
        let queues = try request.queues.map { $0.sorted() } ?? queuesWithQueuedRuns(db)
        let scan = Scan(
            request: request, now: now, labels: request.labels.isEmpty ? nil : ColumnCoding.jsonArray(request.labels.sorted()),
            settings: settings, queues: queues
        )
        // A full group's runs are not read at all, so any limited queue in play may have held
        // runs back.
        let limited = queues.contains { settings[$0].map { $0.concurrency != nil && !$0.paused } ?? false }
        let (chosen, passedOver) = try choose(scan, db)
        let heldBack = limited || passedOver
        if chosen.isEmpty { return ClaimOutcome(runs: [], mayHaveHeldBack: heldBack) }

        var runs: [RunRecord] = []
        runs.reserveCapacity(chosen.count)
        var next = 0
        while next < chosen.count {
            let chunk = chosen[next ..< min(next + rowsPerStatement, chosen.count)]
            try start(chunk, request, into: &runs, db)
            next += chunk.count
        }
        try AttemptColumns.start(runs, workerID: request.workerID, at: request.now, db)
        return ClaimOutcome(runs: runs, mayHaveHeldBack: heldBack)
    }

    /// The candidates the claim rules take, in claim order.
    ///
    /// First the best `limit` candidates, each group read up to its free room: without
    /// ``ClaimRequest/slots``, or when no candidate among them is too big for the slots left,
    /// those are the runs to take (up to the slots). Only when a candidate is skipped for its cost
    /// may a later one (possibly beyond its group's room, or past the first `limit`) be taken
    /// instead: then the first `n` candidates of every group with room are read, for `n` = twice
    /// the limit, doubling until the claim is full before the candidates run out or every
    /// candidate was read.
    ///
    /// Also says whether a candidate was passed over for its cost, or the slots ran out before
    /// the limit (runs may have been left behind for want of slots).
    private static func choose(_ scan: Scan, _ db: Database) throws -> (taken: [Candidate], passedOver: Bool) {
        let limit = scan.request.limit
        let first = try collect(scan, count: limit, withinRoom: true, db)
        let fast = fit(first, scan.request)
        if !fast.skippedForCost { return (fast.taken, fast.full && fast.taken.count < limit) }
        var count = limit > Int.max / 2 ? Int.max : limit * 2
        while true {
            let candidates = try collect(scan, count: count, withinRoom: false, db)
            let outcome = fit(candidates, scan.request)
            if outcome.full || candidates.count < count || count == Int.max { return (outcome.taken, true) }
            count = count > Int.max / 2 ? Int.max : count * 2
        }
    }

    /// The first `count` candidates in claim order over every requested, unpaused queue, each
    /// group read up to `count` (and up to its free room when `withinRoom`); groups without room
    /// are not read.
    private static func collect(_ scan: Scan, count: Int, withinRoom: Bool, _ db: Database) throws -> [Candidate] {
        var best = Best(limit: count)
        var groups = 0
        for queue in scan.queues where !(scan.settings[queue]?.paused ?? false) {
            try addCandidates(
                queue: queue, concurrency: scan.settings[queue]?.concurrency, scan: scan, withinRoom: withinRoom, groups: &groups,
                to: &best, db
            )
        }
        return best.candidates
    }

    /// Walks candidates in claim order as the claim rules do: a candidate whose group is full or
    /// whose cost exceeds the slots left is skipped; the walk ends at the request's limit or when
    /// no slot is left.
    private static func fit(_ candidates: [Candidate], _ request: ClaimRequest) -> Fit {
        var walk = ClaimWalk<Int>(request)
        var fit = Fit()
        for candidate in candidates where !walk.isFull {
            if walk.offer(cost: candidate.cost, group: candidate.group, room: candidate.room) { fit.taken.append(candidate) }
        }
        fit.skippedForCost = walk.skippedForCost
        fit.full = walk.isFull
        return fit
    }

    /// Claims a chunk of candidates: reads their rows, makes them `executing` with one `UPDATE`,
    /// and appends the claimed records (as the rows now are) in claim order.
    private static func start(_ chunk: ArraySlice<Candidate>, _ request: ClaimRequest, into runs: inout [RunRecord], _ db: Database) throws {
        // A short chunk repeats its last sequence: `IN` ignores duplicates.
        func bindSequences(_ binder: inout StatementBinder) {
            for offset in 0 ..< rowsPerStatement {
                binder.bind(chunk[chunk.startIndex + min(offset, chunk.count - 1)].sequence)
            }
        }
        var read: [Int64: RunRecord] = [:]
        read.reserveCapacity(chunk.count)
        var select = StatementBinder(try db.cachedStatement(sql: selectChunkSQL), db)
        bindSequences(&select)
        try select.forEachRow { row in
            let run = try RunColumns.record(row)
            read[run.sequence] = run
        }
        var update = StatementBinder(try db.cachedStatement(sql: startChunkSQL), db)
        update.bind(request.workerID)
        update.bind(request.leaseUntil)
        update.bind(request.now)
        update.bind(request.now)
        bindSequences(&update)
        try update.execute()
        for candidate in chunk {
            guard var run = read[candidate.sequence] else {
                throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "claimed run \(candidate.sequence) vanished")
            }
            // What startChunkSQL wrote.
            run.status = .executing
            run.attemptCount += 1
            run.workerID = request.workerID
            run.leaseExpiresAt = request.leaseUntil
            run.submittedAt = run.submittedAt ?? request.now
            run.updatedAt = request.now
            run.cancelRequestedAt = nil
            runs.append(run)
        }
    }

    private static func queueSettings(_ db: Database) throws -> [String: QueueSettings] {
        var settings: [String: QueueSettings] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: settingsSQL))
        while let row = try rows.next() {
            settings[row[0]] = QueueSettings(concurrency: row[1], paused: row[2])
        }
        return settings
    }

    /// Every queue holding `queued` runs: a skip scan of `runs_claim`, one seek per queue.
    private static func queuesWithQueuedRuns(_ db: Database) throws -> [String] {
        var queues: [String] = []
        var next = try String.fetchOne(db.cachedStatement(sql: firstQueueSQL))
        let nextStatement = try db.cachedStatement(sql: nextQueueSQL)
        while let queue = next {
            queues.append(queue)
            next = try String.fetchOne(nextStatement, arguments: [queue])
        }
        return queues
    }

    /// Adds a queue's candidates, group by group: no key first, then the keys in order (found by
    /// a skip scan of `runs_claim`), each group's first `count` runs (no more than its free room
    /// when `withinRoom`).
    private static func addCandidates(
        queue: String, concurrency: Int?, scan: Scan, withinRoom: Bool, groups: inout Int, to best: inout Best, _ db: Database
    ) throws {
        var executing: [String?: Int] = [:]
        if concurrency != nil {
            let counts = try Row.fetchCursor(db.cachedStatement(sql: executingSQL), arguments: [queue])
            while let row = try counts.next() {
                executing[row[0] as String?] = row[1]
            }
        }
        func room(_ key: String?) -> Int {
            guard let concurrency else { return .max }
            return concurrency - executing[key, default: 0]
        }
        let labelled = scan.labels != nil
        func addGroup(_ key: String?, _ statement: Statement) throws {
            let room = room(key)
            guard room > 0 else { return }
            groups += 1
            var binder = StatementBinder(statement, db)
            binder.bind(queue)
            if let key { binder.bind(key) }
            binder.bind(scan.now)
            if let labels = scan.labels { binder.bind(labels) }
            binder.bind(withinRoom ? min(best.limit, room) : best.limit)
            try readGroup(binder, group: groups, room: room, to: &best)
        }

        try addGroup(nil, db.cachedStatement(sql: labelled ? labelledNoKeyCandidatesSQL : noKeyCandidatesSQL))
        var key = try String.fetchOne(db.cachedStatement(sql: firstKeySQL), arguments: [queue])
        let nextKey = try db.cachedStatement(sql: nextKeySQL)
        let keyCandidates = try db.cachedStatement(sql: labelled ? labelledKeyCandidatesSQL : keyCandidatesSQL)
        while let current = key {
            try addGroup(current, keyCandidates)
            key = try String.fetchOne(nextKey, arguments: [queue, current])
        }
    }

    /// Reads one group's candidates in claim order (from a bound candidates statement), stopping
    /// at the first that cannot be among the best.
    private static func readGroup(_ binder: StatementBinder, group: Int, room: Int, to best: inout Best) throws {
        var found: [Candidate] = []
        try binder.readRows { row in
            let candidate = Candidate(
                sequence: row.int64(0), priority: row.int(1), scheduledAt: row.double(2), cost: row.int(3), group: group, room: room
            )
            guard best.admits(candidate) else { return false }
            found.append(candidate)
            return true
        }
        best.add(found)
    }
}
