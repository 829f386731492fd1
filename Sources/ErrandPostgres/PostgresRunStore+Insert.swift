import Errand
import Foundation

extension PostgresRunStore {
    /// Inserts runs in one transaction (see ``InsertStatements``); see
    /// ``RunStore/insertRuns(_:now:)``. When a created run is due at once, idle workers are told
    /// through the change feed (see ``ChangeNotifier``). A batch of runs without keys (the
    /// common case) takes one statement and one round trip.
    public func insertRuns(_ runs: [NewRun], now: Date) async throws -> [InsertResult] {
        if runs.isEmpty { return [] }
        if InsertStatements.fitsOneStatement(runs) {
            return try await session { [self] session in try await InsertStatements.insertNotifying(runs, now: now, tables, session) }
        }
        return try await transaction { [self] session in try await InsertStatements.insertThenNotify(runs, now: now, tables, session) }
    }
}
