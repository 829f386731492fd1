import Foundation

/// Durations as written in a project file: a number followed by a unit, `500ms`, `30s`, `2m`,
/// `1h`, `1d` (a space between them is allowed, and the number may have a fraction: `1.5s`).
enum DurationText {
    /// The units and their length in milliseconds.
    static let units: [(suffix: String, milliseconds: Double)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// The duration text means, or `nil` when it is not a duration.
    static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Longest suffix first, so `ms` is not read as `m`.
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value.isFinite
            else { return nil }
            return duration(milliseconds: value * unit.milliseconds)
        }
        return nil
    }

    /// The longest duration accepted, in days (about 100 years).
    static let maximumDays = 36_500.0

    /// A number of milliseconds as a duration; `nil` when it is not finite or its size is over
    /// ``maximumDays`` (so it cannot overflow).
    static func duration(milliseconds: Double) -> Duration? {
        guard milliseconds.isFinite, abs(milliseconds) <= maximumDays * 86_400_000 else { return nil }
        return .milliseconds(Int64(milliseconds.rounded()))
    }
}
