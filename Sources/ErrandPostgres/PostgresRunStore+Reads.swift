import Errand
import Foundation
import PostgresNIO

extension PostgresRunStore {
    /// The run with its attempts and steps, read in one transaction (one snapshot).
    public func run(id: RunID) async throws -> RunRecord? {
        try await transaction { session in
            guard var run = try await RunColumns.fetch(id, tables, session) else { return nil }
            run.steps = try await StepColumns.steps(of: id, tables, session)
            return run
        }
    }

    /// Runs matching the query, newest first by sequence, without their attempts; see
    /// ``RunStore/listRuns(_:)``.
    public func listRuns(_ query: RunQuery) async throws -> RunPage {
        let before = try query.cursor.map(RunQuery.sequence(fromCursor:))
        let limit = max(1, min(query.limit, 1000))
        var b = Binder()
        var conditions: [String] = []
        if let before { conditions.append("sequence < \(b.add(before, "int8"))") }
        if let task = query.task { conditions.append("task = \(b.add(task, "text"))") }
        if let statuses = query.statuses { conditions.append("status = ANY(\(b.add(statuses.map(\.rawValue).sorted(), "text[]")))") }
        if let tag = query.tag { conditions.append("\(b.add(tag, "text")) = ANY(tags)") }
        if let from = query.createdFrom { conditions.append("created_at >= \(b.add(ColumnCoding.time(from), "float8"))") }
        if let to = query.createdTo { conditions.append("created_at < \(b.add(ColumnCoding.time(to), "float8"))") }
        if let parentID = query.parentID { conditions.append("parent_id = \(b.add(parentID.rawValue, "text"))") }
        if let origin = query.origin {
            conditions.append("origin_kind = \(b.add(origin.kind.rawValue, "text"))")
            if let reference = origin.reference { conditions.append("origin_ref = \(b.add(reference, "text"))") }
        }
        if let eventID = query.eventID { conditions.append("event_id = \(b.add(eventID, "text"))") }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(RunColumns.selection) FROM \(tables.runs) \(clause) ORDER BY sequence DESC LIMIT \(b.add(limit + 1, "int8"))"
        let query = b.query(sql)
        let runs = try await session { session in try await RunColumns.records(query, attempts: false, tables, session) }
        guard runs.count > limit else { return RunPage(runs: runs, nextCursor: nil) }
        let page = Array(runs.prefix(limit))
        return RunPage(runs: page, nextCursor: page.last.map { RunQuery.cursor(afterSequence: $0.sequence) })
    }

    /// Executing runs whose lease expired before `now`, oldest lease first, with their attempts.
    public func expiredLeases(now: Date, limit: Int) async throws -> [RunRecord] {
        guard limit > 0 else { return [] }
        return try await transaction { session in
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
        let due = try await session { session in
            if let queues {
                return try await session.map(
                    """
                    SELECT min(scheduled_at) FROM \(unescaped: tables.runs)
                    WHERE status IN \(unescaped: Schema.parkedList) AND scheduled_at < \(never) AND queue = ANY(\(queues.sorted()))
                    """
                ) { try $0.optionalDouble(0) }
            }
            return try await session.map(
                """
                SELECT min(scheduled_at) FROM \(unescaped: tables.runs)
                WHERE status IN \(unescaped: Schema.parkedList) AND scheduled_at < \(never)
                """
            ) { try $0.optionalDouble(0) }
        }
        return due.first.flatMap { $0 }.map(ColumnCoding.date)
    }
}
