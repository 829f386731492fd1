import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    private static let expiredLeasesSQL = """
        SELECT \(RunColumns.selection) FROM runs
        WHERE status = 'executing' AND lease_expires_at < ?
        ORDER BY lease_expires_at, sequence LIMIT ?
        """
    static let nextDueSQL = """
        SELECT scheduled_at FROM runs INDEXED BY runs_due
        WHERE \(Schema.parkedCondition) AND status = ? AND scheduled_at < ? ORDER BY scheduled_at LIMIT 1
        """
    static let nextDueInQueuesSQL = """
        SELECT scheduled_at FROM runs INDEXED BY runs_due
        WHERE \(Schema.parkedCondition) AND status = ? AND scheduled_at < ? AND queue IN (SELECT value FROM json_each(?))
        ORDER BY scheduled_at LIMIT 1
        """

    /// The run with its attempts and steps, read from a reader connection (one snapshot).
    public func run(id: RunID) async throws -> RunRecord? {
        try await read { db in
            guard var run = try RunColumns.fetch(id, db) else { return nil }
            run.steps = try StepColumns.steps(of: id, db)
            return run
        }
    }

    /// Runs matching the query, newest first by sequence, without their attempts; see
    /// ``RunStore/listRuns(_:)``.
    public func listRuns(_ query: RunQuery) async throws -> RunPage {
        let before = try query.cursor.map(RunQuery.sequence(fromCursor:))
        let limit = max(1, min(query.limit, 1000))
        var filter = SQLFilter()
        filter.add("sequence < ?", before)
        filter.add("task = ?", query.task)
        filter.add("status IN (SELECT value FROM json_each(?))", query.statuses.map { ColumnCoding.jsonArray($0.map(\.rawValue).sorted()) })
        filter.add("EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)", query.tag)
        filter.add("created_at >= ?", query.createdFrom.map(ColumnCoding.time))
        filter.add("created_at < ?", query.createdTo.map(ColumnCoding.time))
        filter.add("parent_id = ?", query.parentID?.rawValue)
        filter.add("origin_kind = ?", query.origin?.kind.rawValue)
        filter.add("origin_ref = ?", query.origin?.reference)
        filter.add("event_id = ?", query.eventID)
        let sql = "SELECT \(RunColumns.selection) FROM runs \(filter.clause) ORDER BY sequence DESC LIMIT ?"
        let queryArguments = filter.arguments(limit + 1)
        let runs = try await read { db in
            try RunColumns.records(db.cachedStatement(sql: sql), arguments: queryArguments, attempts: false, db)
        }
        guard runs.count > limit else { return RunPage(runs: runs, nextCursor: nil) }
        let page = Array(runs.prefix(limit))
        return RunPage(runs: page, nextCursor: page.last.map { RunQuery.cursor(afterSequence: $0.sequence) })
    }

    /// Executing runs whose lease expired before `now`, oldest lease first, with their attempts.
    public func expiredLeases(now: Date, limit: Int) async throws -> [RunRecord] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try RunColumns.records(
                db.cachedStatement(sql: Self.expiredLeasesSQL), arguments: [ColumnCoding.time(now), limit], attempts: true, db
            )
        }
    }

    /// The earliest due time of parked (`delayed`, `retrying` or `waiting`) runs in these queues
    /// (`nil` = all), leaving out runs parked until woken (at `Date.distantFuture`): one ordered
    /// probe of the `runs_due` index per status.
    public func nextDueTime(queues: Set<String>?) async throws -> Date? {
        if let queues, queues.isEmpty { return nil }
        let queueList = queues.map { ColumnCoding.jsonArray($0.sorted()) }
        let never = ColumnCoding.time(.distantFuture)
        return try await read { db in
            var earliest: Double?
            for status in RunStatus.allCases where status.isParked {
                let due: Double?
                if let queueList {
                    due = try Double.fetchOne(
                        db.cachedStatement(sql: Self.nextDueInQueuesSQL), arguments: [status.rawValue, never, queueList]
                    )
                } else {
                    due = try Double.fetchOne(db.cachedStatement(sql: Self.nextDueSQL), arguments: [status.rawValue, never])
                }
                if let due, due < earliest ?? .infinity { earliest = due }
            }
            return ColumnCoding.optionalDate(earliest)
        }
    }
}
