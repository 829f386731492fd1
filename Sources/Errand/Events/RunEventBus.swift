import Synchronization

/// Fans run events out to every subscriber. A slow subscriber loses its oldest events rather than
/// slowing the engine (each keeps the newest 10,000).
final class RunEventBus: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<RunEvent>.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// A new stream of every event published from now on.
    func subscribe() -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Whether anybody listens (so publishers can skip building events).
    var hasSubscribers: Bool { state.withLock { !$0.subscribers.isEmpty } }

    /// Sends an event to every subscriber.
    func publish(_ event: RunEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// Ends every subscriber's stream.
    func finish() {
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
