import Errand
@testable import ErrandSQLite
import Foundation
import GRDB
import Testing

/// Events, logs and routing on a file: they survive reopening, several stores sharing a file
/// publish once, and files of the previous release migrate.
@Suite("SQLiteRunStore events and logs on disk")
struct SQLiteEventsAndLogsTests {
    let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    func eventRun(_ task: String, event: String) -> NewRun {
        NewRun(
            task: task, queue: "q", payload: Data(#"{"id":1}"#.utf8), idempotencyKey: "event:\(event)",
            idempotencyExpiresAt: .distantFuture, scheduledAt: t0, origin: RunOrigin(.event, event), eventID: event
        )
    }

    @Test func logsEventsAndSubscriptionsSurviveReopening() async throws {
        try await withTemporaryPath { path in
            let run = NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: t0, requiredLabels: ["gpu"], cost: 2)
            let subscription = EventSubscription(
                task: "welcome", pattern: "user.*", filter: EventFilter(["plan": .string("pro")]), delayMilliseconds: 60_000, queue: "mail"
            )
            let (lines, event, stored): ([RunLogLine], EventRecord, RunRecord)
            do {
                let store = try SQLiteRunStore(path: path)
                _ = try await store.insertRuns([run], now: t0)
                try await store.appendLogs((1...5).map { RunLogLine(runID: run.id, attempt: 1, level: "info", message: "line \($0)", metadata: ["n": "\($0)"], at: t0 + 1) })
                lines = try await store.logs(runID: run.id, after: 0, limit: 10)
                event = try await store.publishEvent(
                    EventRecord(id: "evt_1", name: "user.created", payload: Data("{}".utf8), publishedAt: t0, origin: RunOrigin(.cli, "ann")),
                    runs: [eventRun("welcome", event: "evt_1")], now: t0
                ).event
                try await store.replaceSubscriptions([subscription], forTasks: ["welcome"])
                stored = try #require(try await store.run(id: run.id))
            }
            let reopened = try SQLiteRunStore(path: path)
            #expect(lines.count == 5)
            #expect(try await reopened.logs(runID: run.id, after: 0, limit: 10) == lines, "logs survive a restart")
            try await reopened.appendLogs([RunLogLine(runID: run.id, attempt: 2, level: "error", message: "after", at: t0 + 2)])
            #expect(try await reopened.logs(runID: run.id, after: 5, limit: 10).map(\.index) == [6], "numbering goes on after reopening")
            #expect(try await reopened.event(id: "evt_1") == event)
            #expect(try await reopened.subscriptions() == [subscription])
            #expect(try await reopened.run(id: run.id) == stored)
            #expect(stored.requiredLabels == ["gpu"] && stored.cost == 2)
        }
    }

    @Test func twoStoresOnOneFilePublishAnEventOnce() async throws {
        try await withTemporaryPath { path in
            let stores = [try SQLiteRunStore(path: path), try SQLiteRunStore(path: path)]
            let results = try await withThrowingTaskGroup(of: PublishResult.self) { group in
                for publisher in 0..<16 {
                    let store = stores[publisher % 2]
                    group.addTask {
                        try await store.publishEvent(
                            EventRecord(id: "evt_race", name: "user.created", payload: Data("{}".utf8), publishedAt: t0),
                            runs: [eventRun("a", event: "evt_race"), eventRun("b", event: "evt_race")], now: t0
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter(\.created).count == 1, "the unique event id decides, across stores")
            #expect(Set(results.map(\.event)).count == 1)
            #expect(try await stores[1].countRuns() == 2, "the runs are created once")
        }
    }

    @Test func migrationToV5KeepsRunsAsAppRunsClaimableByAnyWorker() async throws {
        try await withTemporaryPath { path in
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v4")
            try await old.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO runs (id, task, queue, status, priority, payload, tags, created_at, scheduled_at, updated_at,
                            attempt_count, max_attempts, execution_nanoseconds)
                        VALUES ('run_old', 'task', 'q', 'queued', 0, x'7B7D', '[]', ?, ?, ?, 0, 3, 0)
                        """,
                    arguments: [ColumnCoding.time(t0), ColumnCoding.time(t0), ColumnCoding.time(t0)]
                )
            }
            try old.close()
            let store = try SQLiteRunStore(path: path)
            let migrated = try #require(try await store.run(id: "run_old"))
            #expect(migrated.origin == .app && migrated.eventID == nil && migrated.requiredLabels.isEmpty && migrated.cost == 1)
            #expect(try await store.listRuns(RunQuery(origin: .app)).runs.map(\.id) == ["run_old"])
            let claimed = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 5, now: t0, leaseUntil: t0 + 30, slots: 1))
            #expect(claimed.map(\.id) == ["run_old"], "a run of the previous release requires no label and takes one slot")
        }
    }
}
