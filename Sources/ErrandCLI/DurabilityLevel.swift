import ArgumentParser
import ErrandSQLite

/// The values of `--durability`.
enum DurabilityLevel: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Every commit is synced to disk before it returns (the default).
    case full
    /// A commit survives a crash of the process, not necessarily a power loss.
    case normal
    /// Nothing is synced; for benchmarks.
    case off

    /// The store's setting.
    var storeDurability: SQLiteRunStore.Durability {
        switch self {
        case .full: .full
        case .normal: .normal
        case .off: .off
        }
    }
}
