import Foundation

/// One benchmark figure: `name: value unit`.
struct BenchFigure: Codable, Sendable {
    var name: String
    var value: Double
    var unit: String

    /// The figure as a line, `name: value unit` (integers for rates, one decimal for ms).
    var line: String {
        let shown: String
        if unit == "jobs/s" || unit == "runs/s" || unit == "ops/s" {
            shown = String(Int(value.rounded()))
        } else if unit == "MB" || unit == "ms" || unit == "µs" {
            shown = String(format: "%.1f", value)
        } else {
            shown = String(format: "%.3f", value)
        }
        return "\(name): \(shown) \(unit)"
    }

    /// How a phase process hands a figure to the orchestrator on its standard output.
    var wire: String { "FIGURE \(name) \(value) \(unit)" }

    init(name: String, value: Double, unit: String) {
        self.name = name
        self.value = value
        self.unit = unit
    }

    init?(wire line: Substring) {
        let parts = line.split(separator: " ", maxSplits: 3)
        guard parts.count == 4, parts[0] == "FIGURE", let value = Double(parts[2]) else { return nil }
        self.init(name: String(parts[1]), value: value, unit: String(parts[3]))
    }

    /// Prints the figure for the orchestrator.
    func emit() {
        writeLine(wire)
    }
}

/// Percentiles as the peer harness computes them: nearest rank over all samples, sorted
/// ascending, 0-based index `round(p/100 × (n−1))` with halves rounded to even.
enum Percentile {
    static func of(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let index = (p / 100 * Double(sorted.count - 1)).rounded(.toNearestOrEven)
        return sorted[min(sorted.count - 1, max(0, Int(index)))]
    }
}
