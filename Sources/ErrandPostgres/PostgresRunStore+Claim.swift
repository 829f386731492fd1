import Errand
import Foundation

extension PostgresRunStore {
    /// Claims due runs in one transaction, following the claim rules of ``RunStore``, with the
    /// queues' limits held across every process (see ``ClaimStatements``).
    public func claimRuns(_ request: ClaimRequest) async throws -> [RunRecord] {
        guard request.limit > 0 else { return [] }
        return try await transaction { [self] session in try await ClaimStatements.claim(request, tables, session) }
    }
}
