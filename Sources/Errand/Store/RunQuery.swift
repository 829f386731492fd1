import Foundation

/// Filters and a page for ``RunStore/listRuns(_:)``. Runs come newest first.
public struct RunQuery: Sendable, Hashable {
    /// Only runs of this task.
    public var task: String?
    /// Only runs in one of these statuses.
    public var statuses: Set<RunStatus>?
    /// Only runs carrying this tag.
    public var tag: String?
    /// Only runs created at or after this time.
    public var createdFrom: Date?
    /// Only runs created before this time.
    public var createdTo: Date?
    /// Page size (1…1000).
    public var limit: Int
    /// The cursor of the previous page (``RunPage/nextCursor``).
    public var cursor: String?
    /// Only the children of this run.
    public var parentID: RunID?
    /// Only runs of this origin: its kind, and its reference when it has one.
    public var origin: RunOrigin?
    /// Only the runs this published event caused.
    public var eventID: String?

    /// Creates a query.
    public init(
        task: String? = nil, statuses: Set<RunStatus>? = nil, tag: String? = nil, createdFrom: Date? = nil,
        createdTo: Date? = nil, limit: Int = 50, cursor: String? = nil, parentID: RunID? = nil,
        origin: RunOrigin? = nil, eventID: String? = nil
    ) {
        self.task = task
        self.statuses = statuses
        self.tag = tag
        self.createdFrom = createdFrom
        self.createdTo = createdTo
        self.limit = limit
        self.cursor = cursor
        self.parentID = parentID
        self.origin = origin
        self.eventID = eventID
    }

    /// The sequence number a cursor stands for: runs older than it come next.
    public static func sequence(fromCursor cursor: String) throws -> Int64 {
        guard let value = Int64(cursor), value > 0 else {
            throw ErrandError.invalidArgument(field: "cursor", value: cursor, allowed: "a cursor returned as nextCursor by a previous page")
        }
        return value
    }

    /// The cursor for a page that ended at `sequence`.
    public static func cursor(afterSequence sequence: Int64) -> String { String(sequence) }

    /// Whether a record passes the filters (not the cursor); for stores that filter in memory.
    public func matches(_ record: RunRecord) -> Bool {
        if let task, record.task != task { return false }
        if let statuses, !statuses.contains(record.status) { return false }
        if let tag, !record.tags.contains(tag) { return false }
        if let createdFrom, record.createdAt < createdFrom { return false }
        if let createdTo, record.createdAt >= createdTo { return false }
        if let parentID, record.parentID != parentID { return false }
        if let origin {
            if record.origin.kind != origin.kind { return false }
            if let reference = origin.reference, record.origin.reference != reference { return false }
        }
        if let eventID, record.eventID != eventID { return false }
        return true
    }
}

/// One page of runs.
public struct RunPage: Sendable, Hashable {
    /// The runs, newest first.
    public var runs: [RunRecord]
    /// The cursor of the next page, or `nil` when this is the last.
    public var nextCursor: String?

    /// Creates a page.
    public init(runs: [RunRecord], nextCursor: String?) {
        self.runs = runs
        self.nextCursor = nextCursor
    }
}
