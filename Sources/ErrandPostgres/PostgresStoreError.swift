import PostgresNIO

/// A failure of a ``PostgresRunStore`` operation: what PostgreSQL (or the connection) reported.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The SQLSTATE code PostgreSQL sent (`40P01` for a deadlock, …), when the server sent one.
    public var sqlState: String?
    /// What went wrong.
    public var message: String

    /// Whether the connection was lost: closed by either side, or never made.
    public var isConnectionLost: Bool

    /// Whether the connection the error came on must not be used again (a failed preparation
    /// PostgresNIO would remember): the store closes it once the operation has ended.
    var closesConnection = false

    /// An error with a message.
    public init(message: String, sqlState: String? = nil, isConnectionLost: Bool = false) {
        self.message = message
        self.sqlState = sqlState
        self.isConnectionLost = isConnectionLost
    }

    /// A statement was about to go out on a connection that had already closed.
    static let connectionClosed = PostgresStoreError(
        message: "PostgreSQL connection error: the connection was closed before the statement was sent",
        isConnectionLost: true
    )

    /// The connection closed while a statement was out (PostgreSQL restarted, say): the operation
    /// was abandoned rather than left waiting for a reply.
    static let closedWhileRunning = PostgresStoreError(
        message: "PostgreSQL connection error: the connection closed while the operation ran; it was abandoned",
        isConnectionLost: true
    )

    /// The error PostgresNIO reported, with the server's message and the statement when known.
    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState]
        switch error.code {
        case .clientClosedConnection, .serverClosedConnection, .connectionError:
            isConnectionLost = true
        default:
            // Class 08 is "connection exception"; 57P01–57P03 end the session (admin shutdown,
            // crash shutdown, cannot connect now).
            isConnectionLost = sqlState.map { $0.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains($0) } ?? false
        }
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
