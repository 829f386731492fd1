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
/// Because a group's candidates come in claim order and only a group's own claims fill its slots,
/// this takes exactly the runs the claim rules of ``RunStore`` take.
enum ClaimStatements {
    /// A claimable run, with what orders it.
    private struct Candidate {
        var sequence: Int64
        var priority: Int
        var scheduledAt: Double

        /// Priority (higher first), then due time, then sequence.
        static func inClaimOrder(_ a: Candidate, _ b: Candidate) -> Bool {
            if a.priority != b.priority { return a.priority > b.priority }
            if a.scheduledAt != b.scheduledAt { return a.scheduledAt < b.scheduledAt }
            return a.sequence < b.sequence
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

    private struct QueueSettings {
        var concurrency: Int?
        var paused: Bool
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
    static let keyCandidatesSQL = """
        SELECT sequence, priority, scheduled_at FROM runs INDEXED BY runs_claim
        WHERE status = 'queued' AND queue = ? AND concurrency_key = ?
            AND (expires_at IS NULL OR expires_at > ? OR attempt_count > 0)
        ORDER BY priority DESC, scheduled_at, sequence LIMIT ?
        """
    static let noKeyCandidatesSQL = """
        SELECT sequence, priority, scheduled_at FROM runs INDEXED BY runs_claim
        WHERE status = 'queued' AND queue = ? AND concurrency_key IS NULL
            AND (expires_at IS NULL OR expires_at > ? OR attempt_count > 0)
        ORDER BY priority DESC, scheduled_at, sequence LIMIT ?
        """
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
    static func claim(_ request: ClaimRequest, _ db: Database) throws -> [RunRecord] {
        let now = ColumnCoding.time(request.now)
        try db.cachedStatement(sql: promoteSQL).execute(arguments: [now, now])

        let settings = try queueSettings(db)
        let queues = try request.queues.map { $0.sorted() } ?? queuesWithQueuedRuns(db)
        var best = Best(limit: request.limit)
        for queue in queues where !(settings[queue]?.paused ?? false) {
            try addCandidates(queue: queue, concurrency: settings[queue]?.concurrency, now: now, to: &best, db)
        }
        if best.candidates.isEmpty { return [] }

        var runs: [RunRecord] = []
        runs.reserveCapacity(best.candidates.count)
        var next = 0
        while next < best.candidates.count {
            let chunk = best.candidates[next ..< min(next + rowsPerStatement, best.candidates.count)]
            try start(chunk, request, into: &runs, db)
            next += chunk.count
        }
        try AttemptColumns.start(runs, workerID: request.workerID, at: request.now, db)
        return runs
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
    /// a skip scan of `runs_claim`), each group's first runs that fit its free slots.
    private static func addCandidates(queue: String, concurrency: Int?, now: Double, to best: inout Best, _ db: Database) throws {
        var executing: [String?: Int] = [:]
        if concurrency != nil {
            let counts = try Row.fetchCursor(db.cachedStatement(sql: executingSQL), arguments: [queue])
            while let row = try counts.next() {
                executing[row[0] as String?] = row[1]
            }
        }
        func slots(_ key: String?) -> Int {
            guard let concurrency else { return best.limit }
            return min(best.limit, concurrency - executing[key, default: 0])
        }

        if slots(nil) > 0 {
            var binder = StatementBinder(try db.cachedStatement(sql: noKeyCandidatesSQL), db)
            binder.bind(queue)
            binder.bind(now)
            binder.bind(slots(nil))
            try addGroup(binder, to: &best)
        }
        var key = try String.fetchOne(db.cachedStatement(sql: firstKeySQL), arguments: [queue])
        let nextKey = try db.cachedStatement(sql: nextKeySQL)
        let keyCandidates = try db.cachedStatement(sql: keyCandidatesSQL)
        while let current = key {
            if slots(current) > 0 {
                var binder = StatementBinder(keyCandidates, db)
                binder.bind(queue)
                binder.bind(current)
                binder.bind(now)
                binder.bind(slots(current))
                try addGroup(binder, to: &best)
            }
            key = try String.fetchOne(nextKey, arguments: [queue, current])
        }
    }

    /// Reads one group's candidates in claim order (from a bound candidates statement), stopping
    /// at the first that cannot be among the best.
    private static func addGroup(_ binder: StatementBinder, to best: inout Best) throws {
        var group: [Candidate] = []
        try binder.readRows { row in
            let candidate = Candidate(sequence: row.int64(0), priority: row.int(1), scheduledAt: row.double(2))
            guard best.admits(candidate) else { return false }
            group.append(candidate)
            return true
        }
        best.add(group)
    }
}
