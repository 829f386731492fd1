import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    /// Claims due runs in one savepoint of a group commit, following the claim rules of
    /// ``RunStore``.
    ///
    /// The claim first promotes due `delayed`, `retrying` and `waiting` runs (through the `runs_due` index,
    /// so runs due later cost nothing), then reads each requested, unpaused queue's candidates
    /// in claim order from `runs_claim`, concurrency group by concurrency group, skipping full
    /// groups and taking at most a group's free room, and only runs whose required labels the
    /// request has. The candidates of all queues are merged in claim order and the first `limit`
    /// that fit the request's slots become `executing`, each with a new attempt row (see
    /// ``ClaimStatements``).
    public func claimRuns(_ request: ClaimRequest) async throws -> [RunRecord] {
        try await claimRunsWithOutcome(request).runs
    }

    /// Claims as ``claimRuns(_:)`` does; the outcome says that runs may have been left behind
    /// whenever a queue in play has a concurrency limit (full groups are not read), a candidate
    /// was passed over for its cost, or the slots ran out before the limit.
    public func claimRunsWithOutcome(_ request: ClaimRequest) async throws -> ClaimOutcome {
        guard request.limit > 0 else { return ClaimOutcome(runs: [], mayHaveHeldBack: false) }
        return try await write { db in try ClaimStatements.claim(request, db) }
    }
}
