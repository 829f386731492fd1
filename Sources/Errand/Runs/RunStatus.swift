/// Where a run is in its life.
///
/// The words map onto the seeds' vocabularies as follows:
///
/// | Errand | Ampt | Extra Horizon |
/// |---|---|---|
/// | `delayed` | created/scheduled | new (start time in the future) |
/// | `queued` | scheduled | new |
/// | `executing` | submitted | inProgress |
/// | `retrying` | submitted | retried |
/// | `waiting` | submitted | inProgress |
/// | `completed` | completed | complete |
/// | `failed`, `timedOut`, `crashed`, `expired` | failed | failed |
/// | `canceled` | — | canceled |
public enum RunStatus: String, Codable, Sendable, CaseIterable, Hashable {
    /// The start time is in the future.
    case delayed
    /// Due, waiting for a worker.
    case queued
    /// An attempt is executing on a worker.
    case executing
    /// An attempt failed; the next one is due at the run's start time.
    case retrying
    /// Parked on a durable wait, a child run or a wait token.
    case waiting
    /// The handler returned; the result is stored.
    case completed
    /// The last attempt threw and no retry is left.
    case failed
    /// Canceled before or while executing.
    case canceled
    /// The last attempt exceeded its timeout, or the run exceeded its maximum duration.
    case timedOut
    /// The worker was lost while executing the last attempt (a "zombie").
    case crashed
    /// The run's time to live passed while it was still waiting to start.
    case expired

    /// Whether the run can no longer change.
    public var isFinal: Bool {
        switch self {
        case .completed, .failed, .canceled, .timedOut, .crashed, .expired: true
        case .delayed, .queued, .executing, .retrying, .waiting: false
        }
    }

    /// The statuses that are not final.
    public static let unfinished: Set<RunStatus> = Set(allCases.filter { !$0.isFinal })

    /// Whether the run waits for its start time (``RunRecord/scheduledAt``): `delayed`, `retrying`
    /// and `waiting` runs become `queued` once it has come.
    public var isParked: Bool {
        self == .delayed || self == .retrying || self == .waiting
    }

    /// The statuses a run can end in.
    public static let finalStatuses: [RunStatus] = allCases.filter(\.isFinal)

    /// Parses a status, accepting the words of the seeds' vocabularies too.
    public init?(word: String) {
        if let status = RunStatus(rawValue: word) {
            self = status
            return
        }
        switch word.lowercased() {
        case "timedout", "timed_out", "timeout": self = .timedOut
        case "cancelled": self = .canceled
        case "complete", "succeeded", "success": self = .completed
        case "inprogress", "in_progress", "running", "submitted": self = .executing
        case "new", "scheduled", "pending": self = .queued
        case "retried": self = .retrying
        default: return nil
        }
    }
}
