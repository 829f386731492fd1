import Errand
import Foundation

extension PostgresRunStore {
    /// Claims due runs following the claim rules of ``RunStore``, with the queues' limits held
    /// across every process: in one statement when the claim allows it
    /// (``DirectClaimStatements``), otherwise in one transaction (``ClaimStatements``).
    ///
    /// A set of queues the one statement declined because one of them has a limit or is paused
    /// goes straight to the full claim for ``directClaimPause`` (of claim time), so claims on
    /// limited queues do not pay for the declined statement every time.
    public func claimRuns(_ request: ClaimRequest) async throws -> [RunRecord] {
        try await claimRunsWithOutcome(request).runs
    }

    /// Claims as ``claimRuns(_:)`` does. A claim the one statement made left nothing behind (it
    /// applies only to queues without a limit, with every candidate fitting the slots); the full
    /// claim says runs may have been left behind when a queue in play has a limit or sat the claim
    /// out, or a candidate did not fit the slots (see ``ClaimStatements``).
    public func claimRunsWithOutcome(_ request: ClaimRequest) async throws -> ClaimOutcome {
        guard request.limit > 0 else { return ClaimOutcome(runs: [], mayHaveHeldBack: false) }
        let durable = configuration.durableClaims
        if let queues = request.queues, !limitedQueueSets.isPaused(queues, at: request.now) {
            let outcome = try await session { [self] session in try await DirectClaimStatements.claim(request, tables, session, durable: durable) }
            switch outcome {
            case .claimed(let runs):
                return ClaimOutcome(runs: runs, mayHaveHeldBack: false)
            case .declined(let limited):
                if limited { limitedQueueSets.pause(queues, until: request.now.addingTimeInterval(Self.directClaimPause)) }
            }
        }
        return try await transaction { [self] session in try await ClaimStatements.claim(request, tables, session, durable: durable) }
    }

    /// How long (seconds of claim time) a set of queues with a limited or paused queue skips the
    /// one-statement claim.
    static let directClaimPause: TimeInterval = 5
}
