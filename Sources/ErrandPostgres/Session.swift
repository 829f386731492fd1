import Logging
import PostgresNIO

/// A leased connection, in or out of a transaction, with the few ways the store uses it.
///
/// Errors from PostgreSQL come out as ``PostgresStoreError`` (with the server's message and
/// SQLSTATE), so a failure says what went wrong instead of PostgresNIO's generic description.
struct Session: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and returns all its rows.
    ///
    /// A statement is never sent on a connection that is already closed: PostgresNIO (1.33) drops
    /// a query written to a channel that has gone, and the call then waits for ever (seen when
    /// PostgreSQL restarted between two statements of a transaction). It fails at once instead.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        guard !connection.isClosed else { throw PostgresStoreError.connectionClosed }
        do {
            return try await connection.query(query, logger: logger).collect()
        } catch let error as PSQLError {
            throw PostgresStoreError(error)
        }
    }

    /// Runs a statement, ignoring any rows.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Runs a statement and reads each row with `read`.
    func map<T>(_ query: PostgresQuery, _ read: (RowReader) throws -> T) async throws -> [T] {
        try await rows(query).map { try read(RowReader($0)) }
    }
}
