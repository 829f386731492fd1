import Errand
import Foundation
import Yams

extension ConfigParser {
    /// The keys of an object `schedule:`.
    static let scheduleKeys = ["expression", "timezone", "payload", "key"]

    /// The task's schedule from `schedule:` (text or an object) and `payload:`, checked as the
    /// engine checks a declared schedule; `nil` when there is none or it has problems.
    func parseSchedule(_ fields: [String: (key: Node, value: Node)], task: String, path: String) -> ConfiguredSchedule? {
        let schedulePath = Self.join(path, "schedule")
        guard let node = fields["schedule"]?.value else {
            if let payload = fields["payload"] {
                report(payload.key, Self.join(path, "payload"), "payload is the payload of scheduled runs, and the task has no schedule; add schedule: or remove payload:")
            }
            return nil
        }
        var nodes: [String: Node] = ["cron": node, "rate": node]
        var schedule: ConfiguredSchedule
        let before = problems.count
        if case .scalar = node {
            guard let expression = nonEmptyString(node, schedulePath, what: "a rate(…) or cron(…) expression") else { return nil }
            schedule = ConfiguredSchedule(expression: expression)
        } else {
            guard let object = self.fields(of: node, at: schedulePath, allowed: Self.scheduleKeys) else { return nil }
            guard let expressionNode = object["expression"]?.value else {
                report(node, schedulePath, "the expression is missing; give expression: \"rate(1 hour)\" or \"cron(0 2 * * ? *)\"")
                return nil
            }
            nodes["cron"] = expressionNode
            nodes["rate"] = expressionNode
            schedule = ConfiguredSchedule(expression: nonEmptyString(expressionNode, Self.join(schedulePath, "expression"), what: "an expression") ?? "")
            if let zone = object["timezone"]?.value {
                nodes["timeZone"] = zone
                schedule.timeZone = nonEmptyString(zone, Self.join(schedulePath, "timezone"), what: "an IANA time zone such as Europe/Berlin") ?? "UTC"
            }
            if let key = object["key"]?.value {
                nodes["key"] = key
                schedule.key = nonEmptyString(key, Self.join(schedulePath, "key"), what: "a key")
            }
            if let payload = object["payload"] {
                if let outer = fields["payload"] {
                    report(outer.key, Self.join(path, "payload"), "the payload is given twice, here and in schedule.payload; keep one")
                }
                nodes["payload"] = payload.value
                schedule.payload = json(payload.value, Self.join(schedulePath, "payload")) ?? .null
            }
        }
        if let payload = fields["payload"]?.value, nodes["payload"] == nil {
            nodes["payload"] = payload
            schedule.payload = json(payload, Self.join(path, "payload")) ?? .null
        }
        guard problems.count == before else { return nil }
        do {
            try schedule.newSchedule(task: task).validate()
        } catch let error as ErrandError where error.field == "task" {
            return nil  // the task's name is reported already
        } catch {
            let field = (error as? ErrandError)?.field ?? ""
            let keyName = ["timeZone": "timezone", "cron": "", "rate": ""][field] ?? field
            let reportedPath = keyName.isEmpty ? schedulePath : Self.join(schedulePath, keyName)
            report(error, at: nodes[field] ?? node, field == "payload" && fields["payload"] != nil ? Self.join(path, "payload") : reportedPath)
            return nil
        }
        return schedule
    }
}
