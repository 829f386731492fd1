import Errand
import Foundation

/// How the CLI renders runs: a table for `runs list`, a detail view for `runs show`, JSON, and
/// one-line run events for `demo`. Dates are ISO-8601 in UTC.
enum RunFormatting {
    // MARK: Values

    /// An ISO-8601 UTC timestamp with milliseconds: `2026-03-14T10:07:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        ISO8601Timestamp.string(from: date, fractionalSeconds: true)
    }

    /// A duration for people: `850ms`, `12.3s`, `4m05s`, `2h10m`, `3d4h`.
    static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60)m" + String(format: "%02ds", whole % 60) }
        if whole < 86_400 { return "\(whole / 3600)h" + String(format: "%02dm", whole / 60 % 60) }
        return "\(whole / 86_400)d\(whole / 3600 % 24)h"
    }

    /// A progress fraction as a percentage: `45%`.
    static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }

    /// JSON text of a value: sorted keys, no escaped slashes, pretty-printed unless `pretty` is false.
    static func json<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// JSON data (a payload or result) pretty-printed; the raw text when it is not JSON.
    static func prettyJSON(_ data: Data) -> String {
        (try? json(JSONValue(json: data))) ?? String(decoding: data, as: UTF8.self)
    }

    /// What the last column of the table shows: how long a finished run took, the progress of a
    /// running one, or when a waiting one is due.
    static func durationOrProgress(_ run: RunRecord, now: Date = Date()) -> String {
        if let finished = run.finishedAt {
            guard let started = run.submittedAt else { return "-" }
            return duration(finished.timeIntervalSince(started))
        }
        switch run.status {
        case .executing:
            var parts: [String] = []
            if let percent = run.progressPercent { parts.append(Self.percent(percent)) }
            if let message = run.progressMessage { parts.append(message) }
            if parts.isEmpty, let started = run.submittedAt { parts.append("running \(duration(now.timeIntervalSince(started)))") }
            return parts.joined(separator: " ")
        case .delayed, .retrying, .queued:
            return run.scheduledAt > now ? "due in \(duration(run.scheduledAt.timeIntervalSince(now)))" : "due"
        default:
            return "-"
        }
    }

    // MARK: Table

    /// The `runs list` table, then the next page's cursor when there is one.
    static func table(_ page: RunPage, now: Date = Date()) -> String {
        guard !page.runs.isEmpty else { return "No runs." }
        let header = ["ID", "TASK", "STATUS", "ATTEMPTS", "CREATED", "DURATION/PROGRESS"]
        let rows = page.runs.map { run in
            [
                run.id.rawValue, run.task, run.status.rawValue, "\(run.attemptCount)/\(run.maxAttempts)",
                ISO8601Timestamp.string(from: run.createdAt), durationOrProgress(run, now: now),
            ]
        }
        var lines = RunFormatting.columns(header: header, rows: rows)
        if let cursor = page.nextCursor {
            lines.append("")
            lines.append("More runs: --cursor \(cursor)")
        }
        return lines.joined(separator: "\n")
    }

    /// Rows as aligned columns under a header, two spaces apart (the last column unpadded).
    static func columns(header: [String], rows: [[String]]) -> [String] {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return [line(header)] + rows.map(line)
    }

    // MARK: Detail

    /// The `runs show` view: every Ampt state field, the attempts, the payload and the result.
    static func detail(_ run: RunRecord) -> String {
        func time(_ date: Date?) -> String { date.map(timestamp) ?? "-" }
        var fields: [(String, String)] = [
            ("id", run.id.rawValue),
            ("task", run.task),
            ("status", run.status.rawValue),
            ("queue", run.queue + (run.concurrencyKey.map { " (concurrency key \($0))" } ?? "")),
            ("priority", String(run.priority)),
            ("tags", run.tags.isEmpty ? "-" : run.tags.joined(separator: ", ")),
            ("attempts", "\(run.attemptCount) of at most \(run.maxAttempts)"),
            ("createdAt", time(run.createdAt)),
            ("scheduledAt", time(run.scheduledAt)),
            ("submittedAt", time(run.submittedAt)),
            ("completedAt", time(run.completedAt)),
            ("failedAt", time(run.failedAt)),
            ("canceledAt", time(run.canceledAt)),
            ("expiresAt", time(run.expiresAt)),
            ("progressMessage", run.progressMessage ?? "-"),
            ("progressPercent", run.progressPercent.map(percent) ?? "-"),
            ("errorMessage", run.error.map { "\($0.name): \($0.message) [\($0.type)]" } ?? "-"),
            ("errorStack", run.error?.stack ?? "-"),
            ("executionTime", duration(run.executionTime.timeInterval)),
        ]
        if let key = run.idempotencyKey { fields.append(("idempotencyKey", key)) }
        if let worker = run.workerID { fields.append(("workerID", worker)) }
        if let lease = run.leaseExpiresAt { fields.append(("leaseExpiresAt", timestamp(lease))) }
        if let asked = run.cancelRequestedAt { fields.append(("cancelRequestedAt", timestamp(asked))) }
        if let original = run.replayOf { fields.append(("replayOf", original.rawValue)) }
        if let parent = run.parentID { fields.append(("parentID", parent.rawValue)) }
        if let schedule = run.scheduleID { fields.append(("scheduleID", schedule)) }
        if let note = run.resultNote { fields.append(("resultNote", note)) }
        let width = fields.map(\.0.count).max() ?? 0
        var lines = fields.map { name, value in
            name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + indented(value, by: width + 2, firstLine: false)
        }
        lines.append("")
        lines.append("payload:")
        lines.append(indented(prettyJSON(run.payload), by: 2))
        lines.append("result:")
        lines.append(run.result.map { indented(prettyJSON($0), by: 2) } ?? "  -")
        lines.append("attempts:")
        if run.attempts.isEmpty { lines.append("  -") }
        for attempt in run.attempts { lines.append(contentsOf: attemptLines(attempt)) }
        if !run.steps.isEmpty {
            lines.append("steps:")
            for step in run.steps { lines.append(stepLine(step)) }
        }
        return lines.joined(separator: "\n")
    }

    /// One durable step: key, kind, status, tries, times, output size or error.
    static func stepLine(_ step: StepRecord) -> String {
        var line = "  \(step.key)  \(step.kind.rawValue)  \(step.status.rawValue)  tries \(step.attempts)  started \(timestamp(step.startedAt))"
        if let ended = step.endedAt { line += "  ended \(timestamp(ended))" }
        if step.status == .waiting, let wake = step.wakeAt { line += "  until \(timestamp(wake))" }
        if !step.childIDs.isEmpty { line += "  children \(step.childIDs.map(\.rawValue).joined(separator: ","))" }
        if let token = step.tokenID { line += "  token \(token)" }
        if step.output != nil { line += "  output \(step.outputSize) bytes" }
        if let error = step.error { line += "  error: \(error.message)" }
        return line
    }

    /// One attempt: number, worker, start, end, duration and outcome, then its error.
    static func attemptLines(_ attempt: AttemptRecord) -> [String] {
        var line = "  #\(attempt.number)  started \(timestamp(attempt.startedAt))"
        if let ended = attempt.endedAt {
            line += "  ended \(timestamp(ended)) (\(duration(ended.timeIntervalSince(attempt.startedAt))))"
        }
        line += "  \(attempt.outcome?.rawValue ?? "running")  worker \(attempt.workerID)"
        var lines = [line]
        if let error = attempt.error {
            lines.append("      error: \(error.name): \(error.message) [\(error.type)]")
            if let stack = error.stack { lines.append(indented(stack, by: 10)) }
        }
        return lines
    }

    /// Text with every line indented; with `firstLine` false the first line is left as it is.
    static func indented(_ text: String, by count: Int, firstLine: Bool = true) -> String {
        let pad = String(repeating: " ", count: count)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            index == 0 && !firstLine ? String(line) : pad + line
        }.joined(separator: "\n")
    }

    // MARK: Events

    /// One line for a run event: time, run id, task, kind, and the progress or error.
    static func eventLine(_ event: RunEvent) -> String {
        var line = "\(clockTime(event.at))  \(event.runID)  \(event.task.padding(toLength: max(event.task.count, 14), withPad: " ", startingAt: 0))  \(event.kind.rawValue)"
        if let attempt = event.attempt, event.kind == .started { line += " (attempt \(attempt))" }
        if event.kind == .progress {
            if let fraction = event.percent { line += "  \(percent(fraction))" }
            if let message = event.message { line += "  \(message)" }
        }
        if let error = event.error { line += "  \(error.name): \(error.message)" }
        if let retryAt = event.retryAt { line += "  next attempt at \(clockTime(retryAt))" }
        return line
    }

    /// `HH:MM:SS.mmm` in UTC.
    static func clockTime(_ date: Date) -> String {
        let text = timestamp(date)
        guard let start = text.firstIndex(of: "T") else { return text }
        return String(text[text.index(after: start)...])
    }
}
