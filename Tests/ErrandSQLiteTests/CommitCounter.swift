import GRDB
import Synchronization

/// Counts the transactions a connection commits.
final class CommitCounter: TransactionObserver, Sendable {
    private let commits = Mutex(0)

    /// The commits counted so far.
    var count: Int { commits.withLock { $0 } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}
