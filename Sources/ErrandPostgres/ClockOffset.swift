import Foundation

/// How far this process's clock is from the database server's, as
/// ``PostgresRunStore/measureClockOffset(samples:)`` measured it.
///
/// Errand's processes write times by their own clocks and compare times that other processes
/// wrote: a worker's run leases are judged by the leader's clock when it looks for lapsed leases,
/// the leader's own lease by the clocks of the processes that would take it over, and a delayed
/// run's due time by the clock of whichever worker claims it. So the clocks of every process on a
/// database must agree to well within the lease margins: by default a worker's run lease lasts
/// 30 s and is renewed every 10 s, so a leader whose clock is 20 s ahead of a worker's rescues
/// that worker's runs while they still run. The database server's clock is the one reference
/// every process reads alike.
public struct ClockOffset: Sendable, Hashable, CustomStringConvertible {
    /// The server's clock minus this process's clock: positive when this process's clock is behind.
    public var offset: Duration
    /// Half the round trip of the measurement: the true offset lies within this of ``offset``.
    public var uncertainty: Duration

    /// An offset measured to within `uncertainty`.
    public init(offset: Duration, uncertainty: Duration) {
        self.offset = offset
        self.uncertainty = uncertainty
    }

    /// How far apart the clocks are at least: the offset's size less the uncertainty (zero when
    /// the measurement cannot tell the clocks apart).
    public var leastMagnitude: Duration {
        let size = offset < .zero ? .zero - offset : offset
        return max(.zero, size - uncertainty)
    }

    /// From this ``leastMagnitude`` on, ``PostgresRunStore/checkClock()`` warns.
    public static let warningThreshold: Duration = .seconds(1)

    /// Whether ``leastMagnitude`` reaches ``warningThreshold``.
    public var needsWarning: Bool { leastMagnitude >= Self.warningThreshold }

    /// Says which clock is ahead and by how much, for example "this process's clock is 12.300 s
    /// ahead of the database server's (measured to within 0.4 ms)" (under a second, in ms).
    public var description: String {
        let seconds = offset.timeInterval
        let within = String(format: "measured to within %.1f ms", uncertainty.timeInterval * 1000)
        if seconds == 0 { return "this process's clock agrees with the database server's (\(within))" }
        let direction = seconds < 0 ? "ahead of" : "behind"
        let size = abs(seconds) < 1 ? String(format: "%.1f ms", abs(seconds) * 1000) : String(format: "%.3f s", abs(seconds))
        return "this process's clock is \(size) \(direction) the database server's (\(within))"
    }
}
