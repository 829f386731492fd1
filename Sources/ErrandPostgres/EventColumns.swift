import Errand
import Foundation
import PostgresNIO

/// The columns of the `events` table and the mapping to ``EventRecord``.
enum EventColumns {
    /// The columns of an event, in the order ``record(_:)`` reads them.
    static let selection = "sequence, id, name, payload, published_at, origin_kind, origin_ref, run_ids"

    /// The event in a row selected with ``selection``, and its sequence.
    static func record(_ row: RowReader) throws -> (sequence: Int64, event: EventRecord) {
        let event = EventRecord(
            id: try row.string(1), name: try row.string(2), payload: try row.data(3), publishedAt: try row.date(4),
            origin: try row.origin(5), runIDs: try row.strings(7).map { RunID($0) }
        )
        return (try row.int64(0), event)
    }

    /// The event with this id, or `nil`.
    static func fetch(id: String, _ t: Tables, _ session: Session) async throws -> EventRecord? {
        try await session.map("SELECT \(unescaped: selection) FROM \(unescaped: t.events) WHERE id = \(id)", record).first?.event
    }

    /// Stores the event with its runs, or returns the stored one with its id (`created` false);
    /// see ``RunStore/publishEvent(_:runs:now:)``. The event row goes first
    /// (`ON CONFLICT (id) DO NOTHING`): of two publishers racing with one id, in this process or
    /// another, the second waits for the first's commit, stores nothing and returns the first's
    /// event. Each run is stamped with the event's id. Returns whether a created run is due.
    static func publish(_ event: EventRecord, runs: [NewRun], now: Date, _ t: Tables, _ session: Session) async throws -> (PublishResult, due: Bool) {
        let inserted = try await session.rows(
            """
            INSERT INTO \(unescaped: t.events) (id, name, payload, published_at, origin_kind, origin_ref)
            VALUES (
                \(event.id), \(event.name), \(event.payload), \(ColumnCoding.time(event.publishedAt)),
                \(event.origin.kind.rawValue), \(event.origin.reference)
            )
            ON CONFLICT (id) DO NOTHING RETURNING sequence
            """
        )
        guard !inserted.isEmpty else {
            guard let existing = try await fetch(id: event.id, t, session) else {
                throw PostgresStoreError(message: "event \(event.id) was neither stored nor found")
            }
            return (PublishResult(event: existing, created: false), false)
        }
        let stamped = runs.map { run in
            var run = run
            run.eventID = event.id
            return run
        }
        var stored = event
        let (results, due) = try await InsertStatements.insert(stamped, now: now, t, session)
        stored.runIDs = results.map(\.id)
        try await session.execute("UPDATE \(unescaped: t.events) SET run_ids = \(stored.runIDs.map(\.rawValue)) WHERE id = \(event.id)")
        return (PublishResult(event: stored, created: true), due)
    }

    /// A page of events, newest first; see ``RunStore/listEvents(_:)``.
    static func list(_ query: EventQuery, _ t: Tables, _ session: Session) async throws -> EventPage {
        let before = try query.cursor.map(RunQuery.sequence(fromCursor:))
        let limit = Paging.limit(query.limit)
        var filter = Conditions()
        filter.add(before, "int8") { "sequence < \($0)" }
        filter.add(query.name, "text") { "name = \($0)" }
        let clause = filter.clause
        let sql = "SELECT \(selection) FROM \(t.events) \(clause) ORDER BY sequence DESC LIMIT \(filter.binder.add(limit + 1, "int8"))"
        let page = Paging.page(try await session.map(filter.binder.query(sql), record), limit: limit, sequence: \.sequence)
        return EventPage(events: page.rows.map(\.event), nextCursor: page.nextCursor)
    }
}
