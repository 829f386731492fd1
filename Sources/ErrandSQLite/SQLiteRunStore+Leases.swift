import Errand
import Foundation
import GRDB

extension SQLiteRunStore: LeaseStore {
    /// Takes the lease when it is free, run out, or already this holder's; one guarded upsert.
    private static let acquireSQL = """
        INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (name) DO UPDATE SET
            holder = excluded.holder,
            expires_at = excluded.expires_at,
            acquired_at = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > ?4
                THEN leases.acquired_at ELSE excluded.acquired_at END
        WHERE leases.holder = excluded.holder OR leases.expires_at <= ?4
        """
    private static let readSQL = "SELECT holder, expires_at, acquired_at FROM leases WHERE name = ?"
    private static let releaseSQL = "DELETE FROM leases WHERE name = ? AND holder = ?"

    public func acquireLease(_ name: String, holder: String, until: Date, now: Date) async throws -> Lease {
        try await write { db in
            try db.cachedStatement(sql: Self.acquireSQL)
                .execute(arguments: [name, holder, ColumnCoding.time(until), ColumnCoding.time(now)])
            guard let row = try Row.fetchOne(db.cachedStatement(sql: Self.readSQL), arguments: [name]) else {
                throw ErrandError(code: .unsupported, message: "lease \(name) vanished while it was being taken")
            }
            return Lease(
                name: name, holder: row[0], expiresAt: ColumnCoding.date(row[1]), acquiredAt: ColumnCoding.date(row[2])
            )
        }
    }

    @discardableResult
    public func releaseLease(_ name: String, holder: String) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(sql: Self.releaseSQL).execute(arguments: [name, holder])
            return db.changesCount > 0
        }
    }
}
