import Foundation

/// What a worker asks of ``RunStore/claimRuns(_:)``.
public struct ClaimRequest: Sendable, Hashable {
    /// The claiming worker.
    public var workerID: String
    /// The queues to claim from; `nil` means every queue.
    public var queues: Set<String>?
    /// At most this many runs.
    public var limit: Int
    /// The current time: runs due at or before it are claimable.
    public var now: Date
    /// The lease given to each claimed attempt.
    public var leaseUntil: Date
    /// The worker's labels: only runs whose ``RunRecord/requiredLabels`` are all among them are
    /// claimable.
    public var labels: Set<String>
    /// The worker's free slots: the claimed runs' ``RunRecord/cost`` adds up to at most this
    /// (a candidate that does not fit is skipped); `nil` counts runs only (``limit``).
    public var slots: Int?

    /// Creates a claim request.
    public init(
        workerID: String, queues: Set<String>? = nil, limit: Int, now: Date, leaseUntil: Date, labels: Set<String> = [],
        slots: Int? = nil
    ) {
        self.workerID = workerID
        self.queues = queues
        self.limit = limit
        self.now = now
        self.leaseUntil = leaseUntil
        self.labels = labels
        self.slots = slots
    }

    /// Whether a worker with ``labels`` may claim a run requiring `required`.
    public func accepts(requiredLabels required: [String]) -> Bool {
        required.allSatisfy(labels.contains)
    }
}
