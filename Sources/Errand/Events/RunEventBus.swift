import Synchronization

/// Fans run events out to the subscribers whose filters they pass. A slow subscriber loses its
/// oldest events rather than slowing the engine (each keeps the newest 10,000).
final class RunEventBus: Sendable {
    private struct Subscriber {
        var filter: RunEventFilter
        var continuation: AsyncStream<RunEvent>.Continuation
    }

    private struct State {
        var nextID = 0
        var subscribers: [Int: Subscriber] = [:]
    }

    private let state = Mutex(State())

    /// A new stream of the events published from now on that pass `filter`.
    func subscribe(_ filter: RunEventFilter = .all) -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = Subscriber(filter: filter, continuation: continuation)
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Whether a subscriber may want an event of `kind` (so publishers can skip building events
    /// nobody receives).
    func mayWant(_ kind: RunEvent.Kind) -> Bool {
        state.withLock { $0.subscribers.values.contains { $0.filter.mayInclude(kind) } }
    }

    /// Sends an event to every subscriber whose filter it passes.
    func publish(_ event: RunEvent) {
        let receivers = state.withLock { state in
            state.subscribers.values.compactMap { $0.filter.includes(event) ? $0.continuation : nil }
        }
        for receiver in receivers { receiver.yield(event) }
    }

    /// Ends every subscriber's stream.
    func finish() {
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return state.subscribers.values.map(\.continuation)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
