import Errand
import Foundation

extension PostgresRunStore: LeaseStore {
    /// Takes the lease when it is free, run out, or already this holder's: one guarded upsert (of
    /// two processes asking at once, the second waits on the row and then finds it taken), then
    /// reads the lease as it stands, in one transaction.
    public func acquireLease(_ name: String, holder: String, until: Date, now: Date) async throws -> Lease {
        let untilSeconds = ColumnCoding.time(until)
        let nowSeconds = ColumnCoding.time(now)
        return try await transaction { [self] session in
            try await session.execute(
                """
                INSERT INTO \(unescaped: tables.leases) AS l (name, holder, expires_at, acquired_at)
                VALUES (\(name), \(holder), \(untilSeconds), \(nowSeconds))
                ON CONFLICT (name) DO UPDATE SET
                    holder = excluded.holder,
                    expires_at = excluded.expires_at,
                    acquired_at = CASE WHEN l.holder = excluded.holder AND l.expires_at > \(nowSeconds)
                        THEN l.acquired_at ELSE excluded.acquired_at END
                WHERE l.holder = excluded.holder OR l.expires_at <= \(nowSeconds)
                """
            )
            let leases = try await session.map(
                "SELECT holder, expires_at, acquired_at FROM \(unescaped: tables.leases) WHERE name = \(name)"
            ) { row in
                Lease(name: name, holder: try row.string(0), expiresAt: try row.date(1), acquiredAt: try row.date(2))
            }
            guard let lease = leases.first else {
                throw ErrandError(code: .unsupported, message: "lease \(name) vanished while it was being taken")
            }
            return lease
        }
    }

    @discardableResult
    public func releaseLease(_ name: String, holder: String) async throws -> Bool {
        try await session { [self] session in
            try await session.map(
                "DELETE FROM \(unescaped: tables.leases) WHERE name = \(name) AND holder = \(holder) RETURNING 1"
            ) { _ in true }
        }.isEmpty == false
    }
}
