import Errand
import Foundation
import PostgresNIO

/// The columns of the `subscriptions` table and the mapping to ``EventSubscription``.
enum SubscriptionColumns {
    /// Replaces the subscriptions of `tasks` by `subscriptions` (a later one with the same
    /// (task, pattern) replaces an earlier one); see ``RunStore/replaceSubscriptions(_:forTasks:)``.
    static func replace(_ subscriptions: [EventSubscription], forTasks tasks: Set<String>, _ t: Tables, _ session: Session) async throws {
        try await session.execute("DELETE FROM \(unescaped: t.subscriptions) WHERE task = ANY(\(tasks.sorted()))")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for subscription in subscriptions {
            let filter = String(decoding: try encoder.encode(subscription.filter), as: UTF8.self)
            try await session.execute(
                """
                INSERT INTO \(unescaped: t.subscriptions)
                    (task, pattern, filter, delay_ms, queue, priority, max_attempts, tags, required_labels, cost)
                VALUES (
                    \(subscription.task), \(subscription.pattern), \(filter), \(subscription.delayMilliseconds),
                    \(subscription.queue), \(subscription.priority), \(subscription.maxAttempts), \(subscription.tags),
                    \(subscription.requiredLabels), \(subscription.cost)
                )
                ON CONFLICT (task, pattern) DO UPDATE SET
                    filter = excluded.filter, delay_ms = excluded.delay_ms, queue = excluded.queue,
                    priority = excluded.priority, max_attempts = excluded.max_attempts, tags = excluded.tags,
                    required_labels = excluded.required_labels, cost = excluded.cost
                """
            )
        }
    }

    /// Every stored subscription, by task and pattern.
    static func all(_ t: Tables, _ session: Session) async throws -> [EventSubscription] {
        let decoder = JSONDecoder()
        return try await session.map(
            """
            SELECT task, pattern, filter, delay_ms, queue, priority, max_attempts, tags, required_labels, cost
            FROM \(unescaped: t.subscriptions) ORDER BY task, pattern
            """
        ) { row in
            EventSubscription(
                task: try row.string(0), pattern: try row.string(1),
                filter: try decoder.decode(EventFilter.self, from: Data(try row.string(2).utf8)),
                delayMilliseconds: try row.optionalInt64(3), queue: try row.string(4), priority: try row.int(5),
                maxAttempts: try row.int(6), tags: try row.strings(7), requiredLabels: try row.strings(8), cost: try row.int(9)
            )
        }
    }
}
