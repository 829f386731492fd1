import Errand
import Foundation
import PostgresNIO

extension PostgresRunStore {
    /// The run with its attempts and steps, read in one transaction (one snapshot).
    public func run(id: RunID) async throws -> RunRecord? {
        try await transaction { [self] session in
            guard var run = try await RunColumns.fetch(id, tables, session) else { return nil }
            run.steps = try await StepColumns.steps(of: id, tables, session)
            return run
        }
    }

    /// Runs matching the query, newest first by sequence, without their attempts; see
    /// ``RunStore/listRuns(_:)``.
    public func listRuns(_ query: RunQuery) async throws -> RunPage {
        let before = try query.cursor.map(RunQuery.sequence(fromCursor:))
        let limit = Paging.limit(query.limit)
        var filter = Conditions()
        filter.add(before, "int8") { "sequence < \($0)" }
        filter.add(query.task, "text") { "task = \($0)" }
        filter.add(query.statuses.map { $0.map(\.rawValue).sorted() }, "text[]") { "status = ANY(\($0))" }
        filter.add(query.tag, "text") { "\($0) = ANY(tags)" }
        filter.add(query.createdFrom.map(ColumnCoding.time), "float8") { "created_at >= \($0)" }
        filter.add(query.createdTo.map(ColumnCoding.time), "float8") { "created_at < \($0)" }
        filter.add(query.parentID?.rawValue, "text") { "parent_id = \($0)" }
        filter.add(query.origin?.kind.rawValue, "text") { "origin_kind = \($0)" }
        filter.add(query.origin?.reference, "text") { "origin_ref = \($0)" }
        filter.add(query.eventID, "text") { "event_id = \($0)" }
        let clause = filter.clause
        let sql = "SELECT \(RunColumns.selection) FROM \(tables.runs) \(clause) ORDER BY sequence DESC LIMIT \(filter.binder.add(limit + 1, "int8"))"
        let query = filter.binder.query(sql)
        let runs = try await session { [self] session in try await RunColumns.records(query, attempts: false, tables, session) }
        let page = Paging.page(runs, limit: limit, sequence: \.sequence)
        return RunPage(runs: page.rows, nextCursor: page.nextCursor)
    }

    /// Executing runs whose lease expired before `now`, oldest lease first, with their attempts.
    public func expiredLeases(now: Date, limit: Int) async throws -> [RunRecord] {
        guard limit > 0 else { return [] }
        return try await transaction { [self] session in
            try await RunColumns.records(
                """
                SELECT \(unescaped: RunColumns.selection) FROM \(unescaped: tables.runs)
                WHERE status = 'executing' AND lease_expires_at < \(ColumnCoding.time(now))
                ORDER BY lease_expires_at, sequence LIMIT \(limit)
                """,
                attempts: true, tables, session
            )
        }
    }

    /// The earliest due time of parked (`delayed`, `retrying` or `waiting`) runs in these queues
    /// (`nil` = all), leaving out runs parked until woken (at `Date.distantFuture`): one ordered
    /// probe of the `runs_due` index.
    public func nextDueTime(queues: Set<String>?) async throws -> Date? {
        if let queues, queues.isEmpty { return nil }
        let never = ColumnCoding.time(.distantFuture)
        let due = try await session { [self] session in
            if let queues {
                return try await session.map(
                    """
                    SELECT min(scheduled_at) FROM \(unescaped: tables.runs)
                    WHERE status IN \(unescaped: Schema.parkedList) AND scheduled_at < \(never) AND queue = ANY(\(queues.sorted()))
                    """,
                    hot: true
                ) { try $0.optionalDouble(0) }
            }
            return try await session.map(
                """
                SELECT min(scheduled_at) FROM \(unescaped: tables.runs)
                WHERE status IN \(unescaped: Schema.parkedList) AND scheduled_at < \(never)
                """,
                hot: true
            ) { try $0.optionalDouble(0) }
        }
        return due.first.flatMap { $0 }.map(ColumnCoding.date)
    }
}
