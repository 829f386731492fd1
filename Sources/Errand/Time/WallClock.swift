import Foundation

/// The source of time for everything Errand does: due times, retries, timeouts, leases, cron and
/// retention. Inject a virtual clock (`ErrandTesting.VirtualClock`) to test time without sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    var now: Date { get }
    /// Suspends until `deadline` (at once if it has passed). Throws `CancellationError` when the
    /// calling task is cancelled.
    func sleep(until deadline: Date) async throws
}

extension WallClock {
    /// Suspends for `duration`.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.adding(duration))
    }
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    /// Creates the system clock.
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        if interval <= 0 {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: .seconds(interval))
    }
}

extension Date {
    /// This date plus a Swift `Duration`.
    public func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.timeInterval)
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in whole milliseconds.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
