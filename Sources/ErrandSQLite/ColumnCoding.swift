import Errand
import Foundation
import GRDB

/// How Swift values are stored in columns.
///
/// - Times are `REAL` seconds since Foundation's reference date (2001-01-01T00:00:00Z), the very
///   `Double` a `Date` holds, so every date reads back equal to the one written (unix seconds
///   would lose the last bit of precise dates). In the `sqlite3` shell,
///   `datetime(created_at + 978307200, 'unixepoch')` shows one.
/// - Durations are `INTEGER` nanoseconds.
/// - Tags are a JSON array of strings (`TEXT`).
/// - Errors are four columns: `<prefix>_type`, `_name`, `_message`, `_stack`.
enum ColumnCoding {
    /// A time as stored.
    static func time(_ date: Date) -> Double { date.timeIntervalSinceReferenceDate }

    /// A stored time.
    static func date(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: seconds) }

    /// An optional stored time.
    static func optionalDate(_ seconds: Double?) -> Date? { seconds.map(Date.init(timeIntervalSinceReferenceDate:)) }

    /// A duration as stored (nanoseconds, saturating).
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    /// A stored duration.
    static func duration(nanoseconds: Int64) -> Duration { .nanoseconds(nanoseconds) }

    /// Tags as a JSON array.
    static func tags(_ tags: [String]) -> String {
        if tags.isEmpty { return "[]" }
        var json = "["
        for (index, tag) in tags.enumerated() {
            if index > 0 { json += "," }
            appendJSONString(tag, to: &json)
        }
        json += "]"
        return json
    }

    /// Stored tags.
    static func tags(json: String) throws -> [String] {
        if json == "[]" { return [] }
        return try JSONDecoder().decode([String].self, from: Data(json.utf8))
    }

    /// Strings as a JSON array (for `IN (SELECT value FROM json_each(?))`).
    static func jsonArray(_ values: some Sequence<String>) -> String { tags(Array(values)) }

    private static func appendJSONString(_ string: String, to json: inout String) {
        json += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20:
                json += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }

    /// An error's four column values (all `NULL` for no error).
    static func errorValues(_ error: RunError?) -> [(any DatabaseValueConvertible)?] {
        guard let error else { return [nil, nil, nil, nil] }
        return [error.type, error.name, error.message, error.stack]
    }

    /// The error stored in four columns starting at `index`.
    static func error(_ row: Row, at index: Int) -> RunError? {
        guard let type = row[index] as String? else { return nil }
        return RunError(type: type, name: row[index + 1] ?? "", message: row[index + 2] ?? "", stack: row[index + 3])
    }
}
