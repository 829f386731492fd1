import Errand
import Foundation

extension ScheduleView {
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
        var lines = RunFormatting.columns(header: header, rows: rows)
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
