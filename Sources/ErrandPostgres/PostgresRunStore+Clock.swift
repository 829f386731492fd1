import CoreMetrics
import Errand
import Foundation

extension PostgresRunStore {
    /// Measures how far this process's system clock (`Date()`, what engines use unless a test
    /// gives them another) is from the database server's (`clock_timestamp()`): `samples` round
    /// trips on one connection, keeping the one with the shortest round trip, the offset taken
    /// from its midpoint (see ``ClockOffset`` for why it matters).
    public func measureClockOffset(samples: Int = 3) async throws -> ClockOffset {
        try await session { session in
            var best: ClockOffset?
            for _ in 0..<max(1, samples) {
                let sent = Date()
                let rows = try await session.rows("SELECT extract(epoch FROM clock_timestamp())::float8")
                let received = Date()
                guard let row = rows.first, let server = try RowReader(row).optionalDouble(0) else {
                    throw PostgresStoreError(message: "the database server did not say its time")
                }
                let halfTrip = received.timeIntervalSince(sent) / 2
                let midpoint = sent.timeIntervalSince1970 + halfTrip
                let sample = ClockOffset(offset: .seconds(server - midpoint), uncertainty: .seconds(halfTrip))
                if best.map({ sample.uncertainty < $0.uncertainty }) ?? true { best = sample }
            }
            return best!
        }
    }

    /// Measures the clock offset (``measureClockOffset(samples:)``), records it in the gauge
    /// `errand_clock_offset_seconds` (server minus process), and logs it: a warning when the
    /// clocks are at least ``ClockOffset/warningThreshold`` apart, saying what that breaks;
    /// otherwise at debug level. Never throws: a failed measurement is logged as a warning and
    /// returns `nil`.
    ///
    /// Opening a store with ``withStore(url:schema:maximumConnections:migrate:configuration:logger:_:)``
    /// (and every `errand` command) checks once; a long-running process can call it again.
    @discardableResult
    public func checkClock() async -> ClockOffset? {
        do {
            let measured = try await measureClockOffset()
            Gauge(label: "errand_clock_offset_seconds").record(measured.offset.timeInterval)
            if measured.needsWarning {
                logger.warning(
                    """
                    \(measured): the processes of one database must keep their clocks in step (NTP), \
                    because each writes run leases, leader leases and due times by its own clock and \
                    the others judge them by theirs (a leader ahead of a worker by the lease's margin \
                    rescues that worker's runs while they still run)
                    """
                )
            } else {
                logger.debug("\(measured)")
            }
            return measured
        } catch {
            logger.warning("could not compare this process's clock with the database server's", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
