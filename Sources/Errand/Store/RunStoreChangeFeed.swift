/// A store that tells workers when another process has written to it, so idle workers pick up
/// runs triggered elsewhere at once instead of on their next poll.
///
/// Optional: a ``Worker`` uses it when its store conforms, and polls every
/// ``WorkerConfiguration/pollInterval`` either way (a lost notification costs latency, never
/// correctness). Notifications may be spurious and may be coalesced.
public protocol RunStoreChangeFeed: Sendable {
    /// Yields soon after a write by another process or connection commits. Ends when the
    /// consuming task is cancelled.
    func changes() -> AsyncStream<Void>
}
