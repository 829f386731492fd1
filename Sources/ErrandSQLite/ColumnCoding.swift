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
/// - Required labels are a JSON array of strings, or `NULL` when there are none.
/// - An origin is two columns: `<prefix>origin_kind` (``Errand/RunOrigin/Kind`` raw value) and
///   `origin_ref` (the reference or `NULL`).
/// - Log metadata is a JSON object of strings.
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

    /// Required labels as stored: a JSON array, or `nil` (`NULL`) for none.
    static func labels(_ labels: [String]) -> String? {
        labels.isEmpty ? nil : tags(labels)
    }

    /// Stored required labels.
    static func labels(json: String?) throws -> [String] {
        guard let json else { return [] }
        return try tags(json: json)
    }

    /// A stored origin.
    static func origin(kind: String, reference: String?) throws -> RunOrigin {
        guard let parsed = RunOrigin.Kind(rawValue: kind) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown origin kind \(kind)")
        }
        return RunOrigin(parsed, reference)
    }

    /// String metadata as a JSON object, keys sorted.
    static func jsonObject(_ object: [String: String]) -> String {
        if object.isEmpty { return "{}" }
        var json = "{"
        for (index, key) in object.keys.sorted().enumerated() {
            if index > 0 { json += "," }
            appendJSONString(key, to: &json)
            json += ":"
            appendJSONString(object[key] ?? "", to: &json)
        }
        json += "}"
        return json
    }

    /// Stored string metadata.
    static func stringObject(json: String) throws -> [String: String] {
        if json == "{}" { return [:] }
        return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
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
