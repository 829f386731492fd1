import Errand
import Foundation
import PostgresNIO

extension PostgresRunStore: RunStoreChangeFeed {
    /// Yields soon after another transaction made runs due (see ``ChangeNotifier``), so idle
    /// workers pick them up at once instead of on their next poll.
    ///
    /// The stream holds one pooled connection that `LISTEN`s on the store's channel
    /// (`errand_<schema>`). When that connection drops (the server restarted, a pooler cut it),
    /// it yields once, waits ``Configuration/listenRetryDelay`` and listens again on a new one;
    /// notifications sent meanwhile are lost, which the workers' polling covers. Wake-ups are
    /// hints: they coalesce and may be spurious. The stream ends when the consuming task is
    /// cancelled.
    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let client = client, channel = tables.channel, logger = logger, delay = configuration.listenRetryDelay
        let listener = Task {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            for try await _ in notifications { continuation.yield() }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.debug("the change feed's connection failed; listening again", metadata: ["error": "\(error)"])
                }
                // Whatever was notified while not listening is lost: wake the consumer to look.
                continuation.yield()
                try? await Task.sleep(for: delay)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in listener.cancel() }
        return stream
    }
}
