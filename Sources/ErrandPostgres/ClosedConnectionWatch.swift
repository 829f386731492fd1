import PostgresNIO
import Synchronization

/// Abandons the operations running on a pooled connection when that connection closes.
///
/// PostgresNIO (1.33) can leave a statement waiting for ever when the connection closes as it is
/// written (seen while PostgreSQL restarts: ``Session/rows(_:)`` checks for a closed connection
/// first, but the close can come right after the check). Without this, such an operation waited
/// for the whole ``PostgresRunStore/Configuration/operationTimeout`` (30 s) before it was
/// abandoned. The connection's close future gets one callback per connection, however many
/// operations run on it; each operation registers how to abandon it while it runs.
final class ClosedConnectionWatch: Sendable {
    private struct State {
        /// The abandon actions of the operations running on each watched connection, by token.
        var running: [PostgresConnection.ID: [Int: @Sendable () -> Void]] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())

    /// Runs `body`, calling `abandon` if `connection` closes before `body` returns.
    func whileRunning<T>(
        on connection: PostgresConnection, abandon: @escaping @Sendable () -> Void, _ body: () async throws -> T
    ) async throws -> T {
        let id = connection.id
        let (token, firstOnConnection) = state.withLock { state -> (Int, Bool) in
            let token = state.nextToken
            state.nextToken += 1
            let first = state.running[id] == nil
            state.running[id, default: [:]][token] = abandon
            return (token, first)
        }
        if firstOnConnection {
            // Runs at once when the connection has closed already.
            connection.closeFuture.whenComplete { [self] _ in
                let abandons = state.withLock { $0.running.removeValue(forKey: id) }
                for abandon in abandons?.values ?? [:].values { abandon() }
            }
        }
        defer { state.withLock { _ = $0.running[id]?.removeValue(forKey: token) } }
        return try await body()
    }

    /// How many connections are watched (for tests).
    var watchedConnections: Int { state.withLock { $0.running.count } }
}
