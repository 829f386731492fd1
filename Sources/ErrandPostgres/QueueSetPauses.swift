import Foundation
import Synchronization

/// Sets of queues that skip the one-statement claim until a time (see
/// ``PostgresRunStore/claimRuns(_:)``).
final class QueueSetPauses: Sendable {
    /// At most this many sets are remembered; past it the oldest pauses are forgotten first.
    static let capacity = 64

    private let pauses = Mutex<[Set<String>: Date]>([:])

    /// Whether `queues` skips the one-statement claim at `now`.
    func isPaused(_ queues: Set<String>, at now: Date) -> Bool {
        pauses.withLock { ($0[queues] ?? .distantPast) > now }
    }

    /// Makes `queues` skip the one-statement claim until `end`.
    func pause(_ queues: Set<String>, until end: Date) {
        pauses.withLock { pauses in
            if pauses.count >= Self.capacity, pauses[queues] == nil,
               let oldest = pauses.min(by: { $0.value < $1.value })?.key {
                pauses[oldest] = nil
            }
            pauses[queues] = end
        }
    }
}
