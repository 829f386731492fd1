import Foundation

/// A store that grants named, time-limited leases: what ``LeaderElection`` is built on.
///
/// A lease has one holder at a time. The holder renews it before it runs out; when the holder dies,
/// the lease runs out and another process takes it. Every store that many processes can share
/// (SQLite files, PostgreSQL) implements it in one guarded statement, so two processes asking at
/// the same moment never both get it. Times are the callers' clocks: the processes sharing a store
/// must keep their clocks in step (NTP) to well within a lease's duration.
public protocol LeaseStore: Sendable {
    /// Takes the lease `name` for `holder` until `until` when nobody holds it, when its time ran
    /// out (its expiry is at or before `now`), or when `holder` already holds it (a renewal).
    /// Otherwise changes nothing. Returns the lease as it stands after the call, whoever holds it.
    func acquireLease(_ name: String, holder: String, until: Date, now: Date) async throws -> Lease

    /// Gives up the lease `name` when `holder` holds it, so that another process can take it at
    /// once. Returns whether `holder` held it.
    @discardableResult
    func releaseLease(_ name: String, holder: String) async throws -> Bool
}

/// A named lease and its current holder.
public struct Lease: Sendable, Hashable, Codable {
    /// The lease's name (one per kind of leader-only work, `errand.leader` by default).
    public var name: String
    /// Who holds it: a process's ``LeaderElectionConfiguration/holder``.
    public var holder: String
    /// When it runs out unless renewed.
    public var expiresAt: Date
    /// Since when `holder` has held it without a break.
    public var acquiredAt: Date

    /// Creates a lease value.
    public init(name: String, holder: String, expiresAt: Date, acquiredAt: Date) {
        self.name = name
        self.holder = holder
        self.expiresAt = expiresAt
        self.acquiredAt = acquiredAt
    }
}
