import Synchronization

/// How many server-sent event streams are open (exported as `errand_http_open_streams`), so a
/// subscription left behind by a gone client would show.
final class StreamCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// The open streams.
    var open: Int { count.load(ordering: .relaxed) }

    /// Runs `body` counted as one open stream.
    func counting<T>(_ body: () async throws -> T) async rethrows -> T {
        count.add(1, ordering: .relaxed)
        defer { count.subtract(1, ordering: .relaxed) }
        return try await body()
    }
}
