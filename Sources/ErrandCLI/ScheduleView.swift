import Errand
import Foundation

/// A schedule as the CLI prints it: JSON with its payload as JSON and its next fire times, or a
/// table row.
struct ScheduleView: Encodable {
    var id: String
    var key: String
    var externalID: String?
    var task: String
    var expression: String
    var kind: String
    var timeZone: String
    var anchor: String?
    var payload: JSONValue
    var catchUp: String
    var overlap: String
    var paused: Bool
    var declared: Bool
    var nextFireTimes: [String]
    var lastOccurrenceAt: String?
    var lastRunID: String?
    var bufferedOccurrenceAt: String?
    var createdAt: String
    var updatedAt: String

    init(_ schedule: Schedule, fireTimes: Int) {
        func time(_ date: Date?) -> String? { date.map { ISO8601Timestamp.string(from: $0) } }
        id = schedule.id
        key = schedule.key
        externalID = schedule.externalID
        task = schedule.task
        expression = schedule.expression
        kind = schedule.kind.rawValue
        timeZone = schedule.timeZone
        anchor = time(schedule.anchor)
        payload = JSONValue(json: schedule.payload)
        catchUp = schedule.catchUp.storageText
        overlap = schedule.overlap.rawValue
        paused = schedule.paused
        declared = schedule.declared
        nextFireTimes = schedule.nextFireTimes(fireTimes).map { ISO8601Timestamp.string(from: $0) }
        lastOccurrenceAt = time(schedule.lastOccurrenceAt)
        lastRunID = schedule.lastRunID?.rawValue
        bufferedOccurrenceAt = time(schedule.bufferedOccurrenceAt)
        createdAt = ISO8601Timestamp.string(from: schedule.createdAt)
        updatedAt = ISO8601Timestamp.string(from: schedule.updatedAt)
    }

    /// The `schedules list` table, then the next page's cursor when there is one.
    static func table(_ schedules: [Schedule], fireTimes: Int, cursor: String?) -> String {
        guard !schedules.isEmpty else { return "No schedules." }
        let header = ["ID", "KEY", "TASK", "EXPRESSION", "TIMEZONE", "PAUSED", "NEXT FIRE TIMES (UTC)"]
        let rows = schedules.map { schedule in
            let next = schedule.nextFireTimes(fireTimes).map { ISO8601Timestamp.string(from: $0) }
            return [
                schedule.id, schedule.key, schedule.task, schedule.expression, schedule.timeZone,
                schedule.paused ? "yes" : "no", schedule.paused ? "-" : next.isEmpty ? "never" : next.joined(separator: " "),
            ]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [line(header)] + rows.map(line)
        if let cursor {
            lines.append("")
            lines.append("More schedules: --after \(cursor)")
        }
        return lines.joined(separator: "\n")
    }

    /// One line after pause, resume or delete.
    static func summary(_ schedule: Schedule, action: String) -> String {
        var line = "\(schedule.id) (\(schedule.key), \(schedule.task), \(schedule.expression)) \(action)"
        if action == "resumed", let next = schedule.nextFireAt { line += "; next fire time \(ISO8601Timestamp.string(from: next))" }
        if action == "deleted", schedule.declared {
            line += "; it is declared in code and comes back when its app's scheduler starts unless the declaration is removed"
        }
        return line
    }
}

/// The JSON of `schedules list`.
struct ScheduleListView: Encodable {
    var schedules: [ScheduleView]
    var nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedules, forKey: .schedules)
        try container.encode(nextCursor, forKey: .nextCursor)  // null on the last page
    }

    private enum CodingKeys: String, CodingKey {
        case schedules, nextCursor
    }
}
