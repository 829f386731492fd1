import Errand
import Foundation

/// Parsers for option values; each throws a ``CLIError`` saying what is allowed (the argument
/// parser adds the option's name and the value).
enum ArgumentValues {
    /// A JSON payload: any single JSON value (`{}`, `[1, 2]`, `"text"`, `42`, …).
    static func payload(_ text: String) throws -> Data {
        let data = Data(text.utf8)
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey].map { " (\($0))" } ?? ""
            throw CLIError("not valid JSON\(detail); give one JSON value, for example '{\"url\": \"https://example.com/cat.jpg\"}'")
        }
        do {
            try PayloadCoding.checkPayloadSize(data)
        } catch {
            throw CLIError.problem(error)
        }
        return data
    }

    /// A start time in any of Ampt's `after` forms (see ``TriggerDelay``).
    static func after(_ text: String) throws -> TriggerDelay {
        do {
            return try TriggerDelay.parse(text)
        } catch {
            throw CLIError.problem(error)
        }
    }

    /// A duration like `500ms`, `30s`, `10m`, `2h`, `1d`, `1w` or `10 minutes`.
    static func duration(_ text: String) throws -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = "use a positive whole number with a unit: 500ms, 30s, 10m, 2h, 1d, 1w, or \"10 minutes\""
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard let count = Int64(digits), count > 0 else { throw CLIError(allowed) }
        let milliseconds: Int64
        switch unit {
        case "ms", "millisecond", "milliseconds": milliseconds = 1
        case "s", "sec", "second", "seconds": milliseconds = 1_000
        case "m", "min", "minute", "minutes": milliseconds = 60_000
        case "h", "hour", "hours": milliseconds = 3_600_000
        case "d", "day", "days": milliseconds = 86_400_000
        case "w", "week", "weeks": milliseconds = 604_800_000
        default: throw CLIError(allowed)
        }
        let (total, overflow) = count.multipliedReportingOverflow(by: milliseconds)
        guard !overflow else { throw CLIError("too long; \(allowed)") }
        return .milliseconds(total)
    }

    /// A run status: a ``RunStatus`` raw value or one of the seeds' words (`RunStatus(word:)`).
    static func status(_ word: String) throws -> RunStatus {
        guard let status = RunStatus(word: word) else {
            let names = RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError("not a run status; use one of \(names) (or new, scheduled, submitted, inProgress, complete, retried, cancelled)")
        }
        return status
    }

    /// An ISO-8601 time such as `2026-03-14T10:07:00Z` or a bare date (midnight UTC).
    static func timestamp(_ text: String) throws -> Date {
        guard let date = ISO8601Timestamp.date(from: text) else {
            throw CLIError("not an ISO-8601 time; write it like 2026-03-14T10:07:00Z, 2026-03-14T11:07:00+01:00 or 2026-03-14")
        }
        return date
    }

    /// A run id (`run_…`).
    static func runID(_ text: String) throws -> RunID {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw CLIError("a run id must not be empty; run ids look like run_01JD7X0R4Q8ZP9W3K6M2B5T1YC") }
        return RunID(trimmed)
    }
}
