import ArgumentParser
import Errand
import Foundation

/// `errand cron`: try out schedule expressions (cron and rate).
struct CronCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Work with schedule expressions (cron and rate).",
        subcommands: [Next.self]
    )
}

extension CronCommand {
    /// `errand cron next`: the next fire times of an expression, or of many in JSON-lines mode.
    struct Next: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Print the next fire times of a cron or rate expression.",
            discussion: """
                Expressions: six-field AWS cron ("0/5 8-17 ? * MON-FRI *", optionally wrapped as \
                cron(...)), five-field Unix cron ("*/5 8-17 * * 1-5"), or a rate ("rate(5 minutes)", \
                "5 minutes"). Times are printed one per line in ISO-8601 UTC ("2026-03-14T10:10:00Z"); \
                with --tz the local time follows in parentheses ("2026-03-14T10:10:00Z \
                (2026-03-14T11:10:00+01:00)"). A rate's times start from --from (its anchor).

                With --jsonl, each line of standard input is a JSON object \
                {"expr": "...", "from": "2026-03-14T10:07:00Z", "count": 5, "tz": "Europe/Berlin"} \
                (from defaults to now, count to 5, tz to UTC) or {"rate": "rate(5 minutes)"}; \
                each gets exactly one output line, in order: {"next": [...]} (UTC; [] when it never \
                fires), {"seconds": 300} for "rate", or {"error": "..."}.
                """
        )

        @Argument(help: "A cron or rate expression (omit with --jsonl).")
        var expression: String?

        @Option(name: [.customShort("n"), .customLong("count")], help: "How many fire times to print.")
        var count = 5

        @Option(help: "Start after this ISO-8601 time instead of now (also a rate's anchor).")
        var from: String?

        @Option(help: "The IANA time zone the cron fields are in (default UTC); also prints local times.")
        var tz: String?

        @Flag(help: "Read JSON lines from standard input and answer each with one JSON line.")
        var jsonl = false

        func run() async throws {
            if jsonl {
                guard expression == nil else { fail("give either an expression or --jsonl, not both") }
                Self.answerLines()
                return
            }
            guard let expression else { fail("missing expression; for example: errand cron next \"0 10 * * ? *\"") }
            do {
                let timeZone = try Self.timeZone(tz)
                let start = try Self.startDate(from, now: Date())
                guard (0...Self.maximumCount).contains(count) else {
                    throw ErrandError.invalidArgument(field: "count", value: String(count), allowed: "allowed 0-\(Self.maximumCount)")
                }
                let schedule = try ScheduleExpression(expression, timeZone: timeZone)
                for date in schedule.nextDates(after: start, count: count, anchor: start) {
                    var line = ISO8601Timestamp.string(from: date)
                    if tz != nil { line += " (\(ISO8601Timestamp.string(from: date, timeZone: timeZone)))" }
                    print(line)
                }
            } catch {
                fail(String(describing: error))
            }
        }

        private func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            Self.exit(withError: ExitCode.failure)
        }

        static let maximumCount = 10_000

        // MARK: - JSON lines

        /// One input line of `--jsonl`.
        struct Request: Decodable {
            var expr: String?
            var rate: String?
            var from: String?
            /// A number (decoded as `Double`: Foundation reports 2.5 for an `Int` as invalid JSON).
            var count: Double?
            var tz: String?
        }

        /// Answers every line of standard input, flushing each answer.
        static func answerLines() {
            while let line = readLine(strippingNewline: true) {
                let answer = answer(line: line, now: Date())
                FileHandle.standardOutput.write(Data((answer + "\n").utf8))
            }
        }

        /// The one-line JSON answer to one input line.
        static func answer(line: String, now: Date) -> String {
            guard !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return json(["error": "empty line"])
            }
            let request: Request
            do {
                request = try JSONDecoder().decode(Request.self, from: Data(line.utf8))
            } catch {
                return json(["error": "malformed request: \(describe(error))"])
            }
            do {
                switch (request.expr, request.rate) {
                case (nil, let rate?):
                    return json(["seconds": try RateExpression(rate).seconds])
                case (let expr?, nil):
                    let count = try requestedCount(request.count)
                    let start = try startDate(request.from, now: now)
                    let schedule = try ScheduleExpression(expr, timeZone: try timeZone(request.tz))
                    let dates = schedule.nextDates(after: start, count: count, anchor: start)
                    return json(["next": dates.map { ISO8601Timestamp.string(from: $0) }])
                case (_?, _?):
                    return json(["error": "give either \"expr\" or \"rate\", not both"])
                case (nil, nil):
                    return json(["error": "missing \"expr\" (a cron or rate expression) or \"rate\""])
                }
            } catch {
                return json(["error": String(describing: error)])
            }
        }

        /// The `count` of a request: a whole number 0-``maximumCount``, 5 when absent.
        private static func requestedCount(_ value: Double?) throws -> Int {
            guard let value else { return 5 }
            guard value.rounded() == value, (0...Double(maximumCount)).contains(value) else {
                let shown = value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
                throw ErrandError.invalidArgument(field: "count", value: shown, allowed: "allowed a whole number 0-\(maximumCount)")
            }
            return Int(value)
        }

        private static func json(_ object: [String: Any]) -> String {
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
                let text = String(data: data, encoding: .utf8)
            else { return #"{"error":"internal error encoding the answer"}"# }
            return text
        }

        private static func describe(_ error: any Error) -> String {
            switch error {
            case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
                let key = context.codingPath.map(\.stringValue).joined(separator: ".")
                return key.isEmpty ? "expected a JSON object" : "\"\(key)\" must be a \(type == Int.self ? "whole number" : "\(type)".lowercased())"
            case DecodingError.dataCorrupted(let context):
                let key = context.codingPath.map(\.stringValue).joined(separator: ".")
                return key.isEmpty ? "not valid JSON" : "\"\(key)\" has an invalid value: \(context.debugDescription)"
            default:
                return String(describing: error)
            }
        }

        // MARK: - Shared parsing

        static func timeZone(_ name: String?) throws -> TimeZone {
            guard let name else { return .gmt }
            guard let zone = TimeZone(identifier: name) else {
                throw ErrandError.invalidArgument(field: "tz", value: name, allowed: "use an IANA time zone name like \"Europe/Berlin\" or \"UTC\"")
            }
            return zone
        }

        static func startDate(_ text: String?, now: Date) throws -> Date {
            guard let text else { return now }
            guard let date = ISO8601Timestamp.date(from: text) else {
                throw ErrandError.invalidArgument(
                    field: "from", value: text, allowed: "use an ISO-8601 time like \"2026-03-14T10:07:00Z\" (Z or an offset is required)"
                )
            }
            return date
        }
    }
}
