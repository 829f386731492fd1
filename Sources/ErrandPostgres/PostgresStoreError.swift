import PostgresNIO

/// A failure of a ``PostgresRunStore`` operation: what PostgreSQL (or the connection) reported.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The SQLSTATE code PostgreSQL sent (`40P01` for a deadlock, …), when the server sent one.
    public var sqlState: String?
    /// What went wrong.
    public var message: String

    /// An error with a message.
    public init(message: String, sqlState: String? = nil) {
        self.message = message
        self.sqlState = sqlState
    }

    /// The error PostgresNIO reported, with the server's message and the statement when known.
    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState]
        if let info = error.serverInfo {
            var text = "PostgreSQL error \(info[.sqlState] ?? "?"): \(info[.message] ?? "no message")"
            if let detail = info[.detail] { text += " (\(detail))" }
            if let sql = error.query?.sql { text += " in: \(sql.prefix(400))" }
            message = text
        } else {
            message = "PostgreSQL connection error: \(String(reflecting: error))"
        }
    }

    /// Whether running the transaction again may succeed: a deadlock (`40P01`) or a
    /// serialization failure (`40001`).
    var isRetryable: Bool { sqlState == "40P01" || sqlState == "40001" }

    public var description: String { message }
}
