import Errand
import Foundation
import GRDB

/// The columns of the `events` table and the mapping to ``EventRecord``.
enum EventColumns {
    /// The columns of an event, in the order ``record(_:)`` reads them.
    static let selection = "sequence, id, name, payload, published_at, origin_kind, origin_ref, run_ids"

    static let selectByIDSQL = "SELECT \(selection) FROM events WHERE id = ?"

    /// Stores an event unless one has its id (the `id` unique constraint decides, also between
    /// processes); its runs are written afterwards with ``setRunsSQL``.
    static let insertSQL = """
        INSERT INTO events (id, name, payload, published_at, origin_kind, origin_ref, run_ids)
        VALUES (?, ?, ?, ?, ?, ?, '[]')
        ON CONFLICT (id) DO NOTHING
        """

    static let setRunsSQL = "UPDATE events SET run_ids = ? WHERE id = ?"

    /// The event in the current row of a statement selecting ``selection``, and its sequence.
    static func record(_ row: ColumnReader) throws -> (sequence: Int64, event: EventRecord) {
        let event = EventRecord(
            id: row.string(1), name: row.string(2), payload: row.data(3), publishedAt: row.date(4),
            origin: try row.origin(5), runIDs: try row.tags(7).map { RunID($0) }
        )
        return (row.int64(0), event)
    }

    /// The event with this id, or `nil`.
    static func fetch(id: String, _ db: Database) throws -> EventRecord? {
        var binder = StatementBinder(try db.cachedStatement(sql: selectByIDSQL), db)
        binder.bind(id)
        return try binder.firstRow(record)?.event
    }

    /// Stores the event with its runs, or returns the stored one with its id (`created` false);
    /// see ``RunStore/publishEvent(_:runs:now:)``. Each run is stamped with the event's id.
    static func publish(_ event: EventRecord, runs: [NewRun], now: Date, _ db: Database) throws -> PublishResult {
        var insert = StatementBinder(try db.cachedStatement(sql: insertSQL), db)
        insert.bind(event.id)
        insert.bind(event.name)
        insert.bind(event.payload)
        insert.bind(event.publishedAt)
        insert.bind(event.origin.kind.rawValue)
        insert.bind(event.origin.reference)
        try insert.execute()
        guard db.changesCount > 0 else {
            guard let existing = try fetch(id: event.id, db) else {
                throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "event \(event.id) was neither stored nor found")
            }
            return PublishResult(event: existing, created: false)
        }
        let stamped = runs.map { run in
            var run = run
            run.eventID = event.id
            return run
        }
        var stored = event
        stored.runIDs = try SQLiteRunStore.insertRuns(stamped, now: now, db).map(\.id)
        var setRuns = StatementBinder(try db.cachedStatement(sql: setRunsSQL), db)
        setRuns.bind(ColumnCoding.jsonArray(stored.runIDs.map(\.rawValue)))
        setRuns.bind(event.id)
        try setRuns.execute()
        return PublishResult(event: stored, created: true)
    }

    /// A page of events, newest first; see ``RunStore/listEvents(_:)``.
    static func list(_ query: EventQuery, _ db: Database) throws -> EventPage {
        let before = try query.cursor.map(RunQuery.sequence(fromCursor:))
        let limit = max(1, min(query.limit, 1000))
        var conditions: [String] = []
        if before != nil { conditions.append("sequence < ?") }
        if query.name != nil { conditions.append("name = ?") }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var binder = StatementBinder(
            try db.cachedStatement(sql: "SELECT \(selection) FROM events \(clause) ORDER BY sequence DESC LIMIT ?"), db
        )
        if let before { binder.bind(before) }
        if let name = query.name { binder.bind(name) }
        binder.bind(limit + 1)
        var page: [(sequence: Int64, event: EventRecord)] = []
        try binder.forEachRow { row in page.append(try record(row)) }
        guard page.count > limit else { return EventPage(events: page.map(\.event), nextCursor: nil) }
        page.removeLast(page.count - limit)
        return EventPage(events: page.map(\.event), nextCursor: page.last.map { RunQuery.cursor(afterSequence: $0.sequence) })
    }
}
