import Errand
import Foundation

/// How Swift values are stored in columns.
///
/// - Times are `double precision` seconds since Foundation's reference date
///   (2001-01-01T00:00:00Z), the very `Double` a `Date` holds, so every date reads back equal to
///   the one written (a `timestamptz` keeps microseconds only). In `psql`,
///   `to_timestamp(created_at + 978307200)` shows one.
/// - Durations are `bigint` nanoseconds.
/// - Payloads, results and step outputs are `bytea`: the bytes round-trip exactly.
/// - Tags are a `text[]` in their order; required labels a sorted `text[]`, or `NULL` for none
///   (so a claim checks the common case with `required_labels IS NULL`).
/// - Errors are four columns `error_type`, `error_name`, `error_message`, `error_stack`.
/// - String metadata of log lines is a `jsonb` object.
enum ColumnCoding {
    /// A time as stored.
    static func time(_ date: Date) -> Double { date.timeIntervalSinceReferenceDate }

    /// An optional time as stored.
    static func optionalTime(_ date: Date?) -> Double? { date.map(\.timeIntervalSinceReferenceDate) }

    /// A stored time.
    static func date(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: seconds) }

    /// A duration as stored (nanoseconds, saturating).
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    /// Required labels as stored: the labels, or `nil` (`NULL`) for none.
    static func labels(_ labels: [String]) -> [String]? { labels.isEmpty ? nil : labels }

    /// String metadata as a JSON object, keys sorted.
    static func jsonObject(_ object: [String: String]) throws -> String {
        if object.isEmpty { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }

    /// Stored string metadata.
    static func stringObject(json: String) throws -> [String: String] {
        if json == "{}" { return [:] }
        return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }
}
