import Errand
import Foundation

/// Measures cron's next-time computation for `errand bench`.
enum CronBenchmark {
    /// Typical expressions, measured as next-time computations per second.
    static let typical = ["0/5 8-17 ? * MON-FRI *", "0 10 * * ? *", "0 9 ? * 2#1 *"]
    /// Sparse expressions, measured as the slowest single computation in microseconds.
    static let sparse = ["0 0 29 2 ? *", "0 12 ? * 6L 2199", "0 0 31 2 ? *"]

    /// Runs the measurements: throughput for ``typical``, worst case for ``sparse``.
    static func run() -> [(name: String, value: Double, unit: String)] {
        let clock = ContinuousClock()
        // Start times spread over 2026-2031 so every computation does real work.
        let base = 1_767_225_600.0 // 2026-01-01T00:00:00Z
        let starts = (0..<4_096).map { Date(timeIntervalSince1970: base + Double(($0 &* 7_919_117) % 157_680_000)) }
        var sink = 0.0
        var results: [(name: String, value: Double, unit: String)] = []

        for text in typical {
            guard let cron = try? CronExpression(text) else { continue }
            let iterations = 200_000
            let elapsed = clock.measure {
                for index in 0..<iterations {
                    sink += cron.next(after: starts[index & 4_095])?.timeIntervalSince1970 ?? 0
                }
            }
            results.append((name: "cron next \"\(text)\"", value: Double(iterations) / seconds(elapsed), unit: "ops/s"))
        }

        for text in sparse {
            guard let cron = try? CronExpression(text) else { continue }
            var worst = Duration.zero
            for start in starts.prefix(1_000) {
                let elapsed = clock.measure {
                    sink += cron.next(after: start)?.timeIntervalSince1970 ?? 0
                }
                worst = max(worst, elapsed)
            }
            results.append((name: "cron next worst case \"\(text)\"", value: seconds(worst) * 1e6, unit: "µs"))
        }

        if sink.isNaN { print("") } // keeps the computations from being optimised away
        return results
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }
}
