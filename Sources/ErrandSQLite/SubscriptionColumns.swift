import Errand
import Foundation
import GRDB

/// The columns of the `subscriptions` table and the mapping to ``EventSubscription``.
enum SubscriptionColumns {
    static let selectSQL = """
        SELECT task, pattern, filter, delay_ms, queue, priority, max_attempts, tags, required_labels, cost
        FROM subscriptions ORDER BY task, pattern
        """
    static let deleteSQL = "DELETE FROM subscriptions WHERE task IN (SELECT value FROM json_each(?))"
    /// A later subscription with the same (task, pattern) replaces an earlier one.
    static let insertSQL = """
        INSERT OR REPLACE INTO subscriptions
            (task, pattern, filter, delay_ms, queue, priority, max_attempts, tags, required_labels, cost)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Replaces the subscriptions of `tasks` by `subscriptions`; see
    /// ``RunStore/replaceSubscriptions(_:forTasks:)``.
    static func replace(_ subscriptions: [EventSubscription], forTasks tasks: Set<String>, _ db: Database) throws {
        var delete = StatementBinder(try db.cachedStatement(sql: deleteSQL), db)
        delete.bind(ColumnCoding.jsonArray(tasks.sorted()))
        try delete.execute()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let insert = try db.cachedStatement(sql: insertSQL)
        for subscription in subscriptions {
            var binder = StatementBinder(insert, db)
            binder.bind(subscription.task)
            binder.bind(subscription.pattern)
            binder.bind(String(decoding: try encoder.encode(subscription.filter), as: UTF8.self))
            binder.bind(subscription.delayMilliseconds)
            binder.bind(subscription.queue)
            binder.bind(subscription.priority)
            binder.bind(subscription.maxAttempts)
            binder.bind(ColumnCoding.tags(subscription.tags))
            binder.bind(ColumnCoding.tags(subscription.requiredLabels))
            binder.bind(subscription.cost)
            try binder.execute()
        }
    }

    /// Every stored subscription, by task and pattern.
    static func all(_ db: Database) throws -> [EventSubscription] {
        let decoder = JSONDecoder()
        var subscriptions: [EventSubscription] = []
        try StatementBinder(try db.cachedStatement(sql: selectSQL), db).forEachRow { row in
            subscriptions.append(EventSubscription(
                task: row.string(0), pattern: row.string(1),
                filter: try decoder.decode(EventFilter.self, from: Data(row.string(2).utf8)),
                delayMilliseconds: row.isNull(3) ? nil : row.int64(3), queue: row.string(4), priority: row.int(5),
                maxAttempts: row.int(6), tags: try row.tags(7), requiredLabels: try row.tags(8), cost: row.int(9)
            ))
        }
        return subscriptions
    }
}
