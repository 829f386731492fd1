import Synchronization

/// Whether an operation got its pooled connection yet: tells a timed-out operation's error
/// whether it was still waiting for a connection or already running statements.
final class ConnectedFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Whether ``set()`` was called.
    var isSet: Bool { value.load(ordering: .acquiring) }

    /// Records that the connection was leased.
    func set() { value.store(true, ordering: .releasing) }
}
