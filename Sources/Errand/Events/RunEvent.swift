import Foundation

/// Something that happened to a run, published after it was written to the store.
///
/// The `failed` event is Extra Horizon's `task_failed`: it carries the error's type, name and message.
public struct RunEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The run was created.
        case triggered
        /// An attempt started.
        case started
        /// The handler reported progress.
        case progress
        /// An attempt failed and another one is scheduled.
        case retrying
        /// The run completed.
        case completed
        /// The run failed for good.
        case failed
        /// The run timed out for good.
        case timedOut
        /// The run was canceled.
        case canceled
        /// The worker was lost during the last attempt (a zombie) and no retry is left.
        case crashed
        /// The run expired before it started.
        case expired
        /// An attempt was cut short because its worker was lost; the run will be retried.
        case attemptCrashed
        /// The run parked on a durable wait, a child run or a token (status `waiting`).
        case waiting
        /// The handler wrote a log line (``RunEvent/message``, ``RunEvent/logLevel``).
        case log
    }

    /// What happened.
    public var kind: Kind
    /// The run.
    public var runID: RunID
    /// The run's task.
    public var task: String
    /// The run's status after the event.
    public var status: RunStatus
    /// The attempt number, if the event concerns an attempt.
    public var attempt: Int?
    /// When it happened.
    public var at: Date
    /// The progress message, for `progress`.
    public var message: String?
    /// The progress percent, for `progress`.
    public var percent: Double?
    /// The error, for unsuccessful outcomes.
    public var error: RunError?
    /// When the next attempt is due, for `retrying`.
    public var retryAt: Date?
    /// For a `log` event: the line's level.
    public var logLevel: String?
    /// For a `log` event: the line's metadata.
    public var logMetadata: [String: String]?

    /// Creates an event.
    public init(
        kind: Kind, runID: RunID, task: String, status: RunStatus, attempt: Int? = nil, at: Date,
        message: String? = nil, percent: Double? = nil, error: RunError? = nil, retryAt: Date? = nil,
        logLevel: String? = nil, logMetadata: [String: String]? = nil
    ) {
        self.kind = kind
        self.runID = runID
        self.task = task
        self.status = status
        self.attempt = attempt
        self.at = at
        self.message = message
        self.percent = percent
        self.error = error
        self.retryAt = retryAt
        self.logLevel = logLevel
        self.logMetadata = logMetadata
    }

    /// The event for a run that reached `record.status`.
    init(outcomeOf record: RunRecord, at date: Date) {
        let kind: Kind = switch record.status {
        case .completed: .completed
        case .failed: .failed
        case .timedOut: .timedOut
        case .canceled: .canceled
        case .crashed: .crashed
        case .expired: .expired
        case .retrying: .retrying
        case .waiting: .waiting
        case .delayed, .queued: .triggered
        case .executing: .started
        }
        self.init(
            kind: kind, runID: record.id, task: record.task, status: record.status,
            attempt: record.attemptCount == 0 ? nil : record.attemptCount, at: date,
            error: record.status == .completed ? nil : record.error,
            retryAt: record.status == .retrying ? record.scheduledAt : nil
        )
    }
}
