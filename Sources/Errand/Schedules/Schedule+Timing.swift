import Foundation

extension Schedule {
    /// The start of a rate's grid: ``anchor``, or ``createdAt`` when there is none.
    public var rateAnchor: Date { anchor ?? createdAt }

    /// The parsed expression with its time zone.
    ///
    /// - Throws: ``ErrandError`` naming the field: `cron` or `rate` for a bad expression,
    ///   `timeZone` for an unknown zone.
    public func parsedExpression() throws -> ScheduleExpression {
        try Self.parse(expression: expression, kind: kind, timeZone: timeZone)
    }

    /// The next `count` fire times: ``nextFireAt`` first (it may be in the past when the
    /// schedule is overdue and fires as soon as a scheduler runs), then the occurrences after it.
    /// A paused schedule, or one that never fires again, has none.
    public func nextFireTimes(_ count: Int) -> [Date] {
        guard count > 0, !paused, let first = nextFireAt, let expression = try? parsedExpression() else { return [] }
        return [first] + expression.nextDates(after: first, count: count - 1, anchor: rateAnchor)
    }

    /// Whether two records fire at the same times: same expression text, kind, time zone and
    /// anchor.
    public func hasSameTiming(as other: Schedule) -> Bool {
        expression == other.expression && kind == other.kind && timeZone == other.timeZone && anchor == other.anchor
    }

    /// Whether two records define the same schedule: same task, timing, payload, policies,
    /// external id and origin (state such as ``nextFireAt`` or ``paused`` is not compared).
    public func hasSameDefinition(as other: Schedule) -> Bool {
        hasSameTiming(as: other) && task == other.task && payload == other.payload && catchUp == other.catchUp
            && overlap == other.overlap && externalID == other.externalID && declared == other.declared
    }

    /// Parses an expression of a known kind in a time zone given by name.
    static func parse(expression: String, kind: ScheduleKind, timeZone: String) throws -> ScheduleExpression {
        switch kind {
        case .rate: return .rate(try RateExpression(expression))
        case .cron: return .cron(try CronExpression(expression, timeZone: try zone(named: timeZone)))
        }
    }

    /// The time zone with an IANA name.
    ///
    /// - Throws: ``ErrandError`` (`invalid_argument`, field `timeZone`) naming the zone.
    static func zone(named name: String) throws -> TimeZone {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let zone = TimeZone(identifier: trimmed) else {
            throw ErrandError.invalidArgument(
                field: "timeZone", value: name,
                allowed: "unknown time zone; use an IANA time zone name like \"Europe/Berlin\", \"America/New_York\" or \"UTC\""
            )
        }
        return zone
    }
}
