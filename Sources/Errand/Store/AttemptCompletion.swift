import Foundation

/// The outcome of one attempt, as the engine writes it with ``RunStore/completeAttempts(_:)``.
///
/// The write only applies while the run is still `executing` the same attempt and the ``guard``
/// holds; otherwise (the run was rescued, canceled or completed elsewhere) it is ignored and the
/// store returns `nil` for it. This is what keeps a run from completing twice.
public struct AttemptCompletion: Sendable, Hashable {
    /// Who may write the outcome.
    public enum Guard: Sendable, Hashable {
        /// The worker that holds the attempt's lease.
        case worker(String)
        /// A rescuer: only when the attempt's lease expired before this time.
        case leaseExpired(before: Date)
    }

    /// The run.
    public var runID: RunID
    /// The attempt number.
    public var attempt: Int
    /// Who may write the outcome.
    public var `guard`: Guard
    /// When the attempt ended.
    public var endedAt: Date
    /// How the attempt ended.
    public var outcome: AttemptOutcome
    /// The run's new status: a final status, `retrying` (with ``retryAt``) or `waiting`.
    public var status: RunStatus
    /// When the next attempt is due, for `retrying` and `waiting`.
    public var retryAt: Date?
    /// The result as JSON, for `completed`.
    public var result: Data?
    /// Why no result is stored, for `completed`.
    public var resultNote: String?
    /// The attempt's error.
    public var error: RunError?
    /// How long the attempt executed (added to the run's execution time).
    public var executionTime: Duration
    /// For a parked run (status `waiting`): what it waits for besides `retryAt`, its wake-up time.
    /// The store makes the run due at once when the target is already met when it parks.
    public var waitingFor: WaitTarget?

    /// Creates an attempt completion.
    public init(
        runID: RunID, attempt: Int, guard: Guard, endedAt: Date, outcome: AttemptOutcome, status: RunStatus,
        retryAt: Date? = nil, result: Data? = nil, resultNote: String? = nil, error: RunError? = nil,
        executionTime: Duration = .zero, waitingFor: WaitTarget? = nil
    ) {
        self.runID = runID
        self.attempt = attempt
        self.guard = `guard`
        self.endedAt = endedAt
        self.outcome = outcome
        self.status = status
        self.retryAt = retryAt
        self.result = result
        self.resultNote = resultNote
        self.error = error
        self.executionTime = executionTime
        self.waitingFor = waitingFor
    }
}
