import Logging
import PostgresNIO

/// A leased connection, in or out of a transaction, with the few ways the store uses it.
///
/// Errors from PostgreSQL come out as ``PostgresStoreError`` (with the server's message and
/// SQLSTATE), so a failure says what went wrong instead of PostgresNIO's generic description.
struct Session: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Whether ``hotRows(_:)`` uses prepared statements
    /// (``PostgresRunStore/Configuration/preparedStatements``).
    var prepares = false

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

    /// Runs a statement through a statement the connection keeps prepared (``HotStatement``),
    /// preparing it on first use, and returns all its rows. For hot statements whose text is the
    /// same on every call (values only in placeholders).
    ///
    /// PostgresNIO remembers a failed preparation for the life of the connection, so a failure
    /// that a later call could get past (the schema changed, or was not there yet: SQLSTATE class
    /// 42, `0A000`, `26000`) is marked ``PostgresStoreError/closesConnection``: the store closes
    /// the connection once the operation has ended, and the pool opens a fresh one.
    func preparedRows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        guard !connection.isClosed else { throw PostgresStoreError.connectionClosed }
        let text = HotStatement.Text(name: HotStatement.name(for: query.sql), sql: query.sql)
        do {
            return try await HotStatement.$current.withValue(text) {
                var rows: [PostgresRow] = []
                for try await row in try await connection.execute(HotStatement(bindings: query.binds), logger: logger) {
                    rows.append(row)
                }
                return rows
            }
        } catch let error as PSQLError {
            var failure = PostgresStoreError(error)
            if let state = failure.sqlState, state.hasPrefix("42") || state == "0A000" || state == "26000" {
                failure.closesConnection = true
            }
            throw failure
        }
    }

    /// Runs one of the store's hot statements (the same text on every call, values only in
    /// placeholders): prepared (``preparedRows(_:)``) when the store uses prepared statements,
    /// otherwise as an unnamed statement (``rows(_:)``).
    func hotRows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await prepares ? preparedRows(query) : rows(query)
    }

    /// Runs a statement, ignoring any rows.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// Runs a statement and reads each row with `read`; `hot` runs it through ``hotRows(_:)``.
    func map<T>(_ query: PostgresQuery, hot: Bool = false, _ read: (RowReader) throws -> T) async throws -> [T] {
        try await (hot ? hotRows(query) : rows(query)).map { try read(RowReader($0)) }
    }
}
