import Foundation

/// A keyed, memoised unit of a run, as the store keeps it.
///
/// The first time a handler reaches `step(key)`, the closure runs and its output is stored here;
/// when the run is retried or resumed, the handler runs again from the top and the stored output
/// is returned without running the closure. Durable waits, child runs and wait tokens are steps
/// too (``StepKind``), so a run's state lists everything it did in order.
public struct StepRecord: Codable, Sendable, Hashable {
    /// The step's key: the keys of the steps it is nested in and its own, joined by `/`.
    public var key: String
    /// What the step is.
    public var kind: StepKind
    /// Where the step stands.
    public var status: StepStatus
    /// Tries of the closure so far (a step's own retries happen inside one attempt of the run).
    public var attempts: Int
    /// When the step first started.
    public var startedAt: Date
    /// When the step finished (completed or failed), `nil` while it runs or waits.
    public var endedAt: Date?
    /// The JSON output of a completed step (`nil` for a step without output).
    public var output: Data?
    /// The error of the step's last failed try.
    public var error: RunError?
    /// For a wait: when it ends. For a token: when it times out.
    public var wakeAt: Date?
    /// For a child step: the child runs it created, in order.
    public var childIDs: [RunID]
    /// For a token step: the token's id.
    public var tokenID: String?
    /// The attempt of the run that recorded the step last.
    public var attempt: Int

    /// A step record.
    public init(
        key: String, kind: StepKind = .step, status: StepStatus, attempts: Int = 1, startedAt: Date, endedAt: Date? = nil,
        output: Data? = nil, error: RunError? = nil, wakeAt: Date? = nil, childIDs: [RunID] = [], tokenID: String? = nil,
        attempt: Int
    ) {
        self.key = key
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.output = output
        self.error = error
        self.wakeAt = wakeAt
        self.childIDs = childIDs
        self.tokenID = tokenID
        self.attempt = attempt
    }

    /// The size of the stored output in bytes.
    public var outputSize: Int { output?.count ?? 0 }
}

/// What a ``StepRecord`` is.
public enum StepKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// `step(key) { … }`: a closure whose output is stored.
    case step
    /// `wait(for:)` or `wait(until:)`: a durable sleep.
    case wait
    /// `trigger`, `triggerAndWait` or `batchTriggerAndWait`: child runs.
    case child
    /// `waitForToken`: a wait until a token is completed from outside.
    case token
}

/// Where a ``StepRecord`` stands.
public enum StepStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Done; its output is stored and a replay returns it.
    case completed
    /// Its closure failed after its retries; the attempt failed with it.
    case failed
    /// The run is parked on it (a wait, a child, a token).
    case waiting
}
