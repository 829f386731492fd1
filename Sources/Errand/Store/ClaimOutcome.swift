/// What ``RunStore/claimRunsWithOutcome(_:)`` took, and whether it may have left claimable runs
/// behind for a reason a finished attempt can lift.
public struct ClaimOutcome: Sendable {
    /// The claimed runs, in claim order (as ``RunStore/claimRuns(_:)`` returns them).
    public var runs: [RunRecord]
    /// Whether due runs of the requested queues may have been passed over because a concurrency
    /// group was full (its queue's limit) or a run cost more than the slots left, or because a
    /// store could not consider a queue this time (a change of its settings under way). Such runs
    /// can become claimable when an attempt finishes, so a worker claims again after each of its
    /// attempts ends while this is `true`.
    ///
    /// `false` says that, when fewer runs than the request's limit were claimed, no run that was
    /// claimable at the request's time was left behind for those reasons: until runs are
    /// triggered, become due, are woken or rescued, or a queue is resumed, another claim would
    /// find nothing, except runs that a claim made at the same moment held locked and then did
    /// not take (a store with row locks skips those; a worker notices a due run left so through
    /// ``RunStore/nextDueTime(queues:)`` and looks again shortly). A store that cannot tell says
    /// `true`.
    public var mayHaveHeldBack: Bool

    /// Creates an outcome.
    public init(runs: [RunRecord], mayHaveHeldBack: Bool) {
        self.runs = runs
        self.mayHaveHeldBack = mayHaveHeldBack
    }
}
