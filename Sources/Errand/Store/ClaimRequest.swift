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

    /// Creates a claim request.
    public init(workerID: String, queues: Set<String>? = nil, limit: Int, now: Date, leaseUntil: Date) {
        self.workerID = workerID
        self.queues = queues
        self.limit = limit
        self.now = now
        self.leaseUntil = leaseUntil
    }
}
