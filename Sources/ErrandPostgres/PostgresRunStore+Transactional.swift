import Errand
import Foundation
import Logging
import PostgresNIO

extension PostgresRunStore {
    /// Inserts runs with the caller's connection, inside the transaction the caller opened on it:
    /// the runs exist if and only if that transaction commits. Idle workers are told at the commit
    /// (a `NOTIFY` is delivered when its transaction commits, and never when it rolls back).
    ///
    /// The connection must be inside `BEGIN` … `COMMIT`; the store's own tables must be reachable
    /// by its user. Keyed runs (idempotency keys, schedule occurrences) take row locks held until
    /// the caller's transaction ends.
    public func insertRuns(_ runs: [NewRun], now: Date, on connection: PostgresConnection) async throws -> [InsertResult] {
        if runs.isEmpty { return [] }
        return try await InsertStatements.insertThenNotify(runs, now: now, tables, Session(connection: connection, logger: logger))
    }
}

extension Errand {
    /// Triggers a run inside the caller's PostgreSQL transaction (transactional enqueue): the run
    /// exists if and only if the transaction open on `connection` commits, so an app never has a
    /// run for data it rolled back, nor data without its run.
    ///
    /// ```swift
    /// try await client.withTransaction { connection in
    ///     try await connection.query("INSERT INTO orders …", logger: logger)
    ///     _ = try await errand.trigger(sendReceipt, Receipt(order: id), on: connection)
    /// }
    /// ```
    ///
    /// The engine's store must be a ``PostgresRunStore`` on the same database. Workers of this
    /// process and of others wake when the transaction commits.
    ///
    /// - Throws: ``ErrandError`` for a bad payload or option (as ``Errand/Errand/trigger(_:_:options:)``
    ///   does), `unsupported` when the store is not PostgreSQL, or the database's error.
    public func trigger<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, _ payload: Payload, options: TriggerOptions = TriggerOptions(),
        on connection: PostgresConnection
    ) async throws -> RunID {
        let data = try PayloadCoding.encode(payload)
        let ids = try await trigger([TriggerRequest(task: task.name, payload: data, options: options)], on: connection)
        return ids[0]
    }

    /// Triggers runs inside the caller's PostgreSQL transaction; see
    /// ``trigger(_:_:options:on:)``. Returns the run ids in the requests' order.
    public func trigger(_ requests: [TriggerRequest], on connection: PostgresConnection) async throws -> [RunID] {
        guard let store = store as? PostgresRunStore else {
            throw ErrandError(code: .unsupported, message: "transactional enqueue needs the engine's store to be a PostgresRunStore, not \(type(of: store))")
        }
        let runs = try newRuns(for: requests)
        // No `triggered` events here: the transaction may still roll back. Workers learn of the
        // runs from the store's NOTIFY, delivered at the commit.
        return try await store.insertRuns(runs, now: clock.now, on: connection).map(\.id)
    }
}
