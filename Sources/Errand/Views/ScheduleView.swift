import Foundation

/// A schedule as the CLI prints it: JSON with its payload as JSON and its next fire times, or a
/// table row.
public struct ScheduleView: Encodable {
    public var id: String
    public var key: String
    public var externalID: String?
    public var task: String
    public var expression: String
    public var kind: String
    public var timeZone: String
    public var anchor: String?
    public var payload: JSONValue
    public var catchUp: String
    public var overlap: String
    public var paused: Bool
    public var declared: Bool
    public var nextFireTimes: [String]
    public var lastOccurrenceAt: String?
    public var lastRunID: String?
    public var bufferedOccurrenceAt: String?
    public var createdAt: String
    public var updatedAt: String

    public init(_ schedule: Schedule, fireTimes: Int) {
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
}

/// The JSON of `schedules list`.
public struct ScheduleListView: Encodable {
    /// The schedules of the page.
    public var schedules: [ScheduleView]
    /// The cursor of the next page, `null` on the last page.
    public var nextCursor: String?

    /// A page of schedule views.
    public init(schedules: [ScheduleView], nextCursor: String?) {
        self.schedules = schedules
        self.nextCursor = nextCursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedules, forKey: .schedules)
        try container.encode(nextCursor, forKey: .nextCursor)  // null on the last page
    }

    private enum CodingKeys: String, CodingKey {
        case schedules, nextCursor
    }
}
