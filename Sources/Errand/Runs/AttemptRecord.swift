import Foundation

/// How one attempt ended.
public enum AttemptOutcome: String, Codable, Sendable, Hashable {
    /// The handler returned.
    case succeeded
    /// The handler threw.
    case failed
    /// The attempt exceeded its timeout or the run's maximum duration.
    case timedOut
    /// The worker was lost while the attempt ran.
    case crashed
    /// The run was canceled while the attempt ran.
    case canceled
    /// The handler parked the run on a durable wait.
    case suspended
}

/// One execution of a run.
public struct AttemptRecord: Codable, Sendable, Hashable {
    /// 1 for the first attempt.
    public var number: Int
    /// The worker that claimed it.
    public var workerID: String
    /// When the worker claimed it.
    public var startedAt: Date
    /// When it ended, if it has.
    public var endedAt: Date?
    /// How it ended, if it has.
    public var outcome: AttemptOutcome?
    /// Its error, if it failed.
    public var error: RunError?

    /// Creates an attempt record.
    public init(number: Int, workerID: String, startedAt: Date, endedAt: Date? = nil, outcome: AttemptOutcome? = nil, error: RunError? = nil) {
        self.number = number
        self.workerID = workerID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.error = error
    }
}
