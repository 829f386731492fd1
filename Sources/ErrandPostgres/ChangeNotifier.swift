import PostgresNIO

/// Sends the change feed's notifications, coalesced.
///
/// A `NOTIFY` makes its transaction's commit take a lock every notifying commit of the database
/// shares, so notifying in every enqueue transaction would serialise those commits. Instead a
/// transaction that made runs due notifies only when it gets the advisory lock
/// `pg_try_advisory_xact_lock(notifyLockKey, hashtext(channel))` at once: of the transactions
/// committing at the same moment, one notifies (for all of them: a woken worker claims whatever
/// is due), the others skip it. A run whose notification was skipped this way is still found by
/// the workers' polling; notifications only cut latency.
enum ChangeNotifier {
    /// The first key of the notification lock ("ERNF").
    static let notifyLockKey: Int32 = 0x4552_4E46

    /// Notifies the store's channel unless another transaction is notifying right now.
    static func notify(_ tables: Tables, _ session: Session) async throws {
        try await session.execute(
            """
            SELECT pg_notify(\(tables.channel), '') WHERE pg_try_advisory_xact_lock(\(notifyLockKey), hashtext(\(tables.channel)))
            """
        )
    }
}
