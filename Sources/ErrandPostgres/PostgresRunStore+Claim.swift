import Errand
import Foundation

extension PostgresRunStore {
    /// Claims due runs following the claim rules of ``RunStore``, with the queues' limits held
    /// across every process: in one statement when the claim allows it
    /// (``DirectClaimStatements``), otherwise in one transaction (``ClaimStatements``).
    public func claimRuns(_ request: ClaimRequest) async throws -> [RunRecord] {
        guard request.limit > 0 else { return [] }
        if request.queues != nil, let runs = try await session({ [self] session in try await DirectClaimStatements.claim(request, tables, session) }) {
            return runs
        }
        return try await transaction { [self] session in try await ClaimStatements.claim(request, tables, session) }
    }
}
