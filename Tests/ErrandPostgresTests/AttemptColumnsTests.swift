import Errand
import Foundation
import PostgresNIO
import Testing

@testable import ErrandPostgres

/// `AttemptColumns`: since schema version 4 an attempt's row is written once, when it ends; while
/// it runs it is read from the run's row. Attempts started by an older version (which inserted the
/// row at the claim) must still end in that row, on both completion paths.
@Suite("PostgreSQL attempt rows")
struct AttemptColumnsTests {
    static let start = Date(timeIntervalSinceReferenceDate: 800_000_000)

    /// Completes through the one-statement path or the full one.
    static func complete(_ completion: AttemptCompletion, direct: Bool, _ store: PostgresRunStore) async throws -> RunRecord? {
        try await store.transaction { session in
            if direct { return try await DirectCompletionStatements.complete([completion], store.tables, session)[completion.runID] }
            return try await CompletionStatements.complete([completion], store.tables, session).runs.first ?? nil
        }
    }

    static func succeeded(_ run: RunID, attempt: Int, at time: Date) -> AttemptCompletion {
        AttemptCompletion(
            runID: run, attempt: attempt, guard: .worker("w"), endedAt: time, outcome: .succeeded, status: .completed,
            result: Data("{}".utf8)
        )
    }

    static func claim(_ store: PostgresRunStore, at time: Date) async throws -> RunRecord? {
        try await store.claimRuns(ClaimRequest(workerID: "w", queues: ["q"], limit: 1, now: time, leaseUntil: time.addingTimeInterval(60))).first
    }

    /// The stored rows of a run's attempts: (number, started, ended).
    static func rows(_ run: RunID, _ store: PostgresRunStore, _ client: PostgresClient) async throws -> [[Double?]] {
        let sql = "SELECT number::float8, started_at, ended_at FROM \"\(store.schema)\".attempts WHERE run_id = '\(run.rawValue)' ORDER BY number"
        return try await client.query(PostgresQuery(unsafeSQL: sql)).collect().map { row in
            let (number, started, ended) = try row.decode((Double?, Double?, Double?).self)
            return [number, started, ended]
        }
    }

    @Test(arguments: [true, false])
    func anAttemptHasNoRowUntilItEndsAndReadsShowItMeanwhile(directCompletion: Bool) async throws {
        let client = try TestDatabase.shared.get()
        try await TestDatabase.withStores(client: client) { make in
            let store = try await make()
            let id = try await store.insertRuns([NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: Self.start, maxAttempts: 2)], now: Self.start)[0].id
            _ = try #require(try await Self.claim(store, at: Self.start.addingTimeInterval(1)))
            #expect(try await Self.rows(id, store, client).isEmpty, "the claim writes no attempt row")
            #expect(try await store.run(id: id)?.attempts == [AttemptRecord(number: 1, workerID: "w", startedAt: Self.start.addingTimeInterval(1))])

            let failed = AttemptCompletion(
                runID: id, attempt: 1, guard: .worker("w"), endedAt: Self.start.addingTimeInterval(2), outcome: .failed, status: .retrying,
                retryAt: Self.start.addingTimeInterval(3), error: RunError(type: "e", name: "E", message: "boom")
            )
            let afterFirst = try #require(try await Self.complete(failed, direct: directCompletion, store))
            let first = AttemptRecord(
                number: 1, workerID: "w", startedAt: Self.start.addingTimeInterval(1), endedAt: Self.start.addingTimeInterval(2),
                outcome: .failed, error: RunError(type: "e", name: "E", message: "boom")
            )
            #expect(afterFirst.attempts == [first], "the completion returns the ended attempt")
            #expect(try await store.run(id: id)?.attempts == [first])

            _ = try #require(try await Self.claim(store, at: Self.start.addingTimeInterval(4)))
            let open = AttemptRecord(number: 2, workerID: "w", startedAt: Self.start.addingTimeInterval(4))
            #expect(try await store.run(id: id)?.attempts == [first, open])
            let done = try #require(try await Self.complete(Self.succeeded(id, attempt: 2, at: Self.start.addingTimeInterval(5)), direct: directCompletion, store))
            var second = open
            second.endedAt = Self.start.addingTimeInterval(5)
            second.outcome = .succeeded
            #expect(done.attempts == [first, second], "the earlier attempt is read, the ended one added")
            #expect(try await store.run(id: id)?.attempts == [first, second])
            #expect(
                try await Self.rows(id, store, client).count == (directCompletion ? 1 : 2),
                "the one-statement completion keeps a succeeded last attempt on the run's row"
            )
        }
    }

    /// Schema version 7: a run completed by its first attempt, through the one-statement
    /// completion, writes no attempt row; a read still shows the attempt, with its worker and
    /// times.
    @Test func aRunThatSucceedsFirstTimeKeepsItsAttemptOnItsRow() async throws {
        let client = try TestDatabase.shared.get()
        try await TestDatabase.withStores(client: client) { make in
            let store = try await make()
            let ids = try await store.insertRuns((0..<3).map { _ in
                NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: Self.start, maxAttempts: 2)
            }, now: Self.start).map(\.id)
            let claimed = try await store.claimRuns(ClaimRequest(
                workerID: "w7", queues: ["q"], limit: 3, now: Self.start.addingTimeInterval(1), leaseUntil: Self.start.addingTimeInterval(60)
            ))
            #expect(claimed.count == 3)
            let results = try await store.completeAttempts(ids.map {
                AttemptCompletion(
                    runID: $0, attempt: 1, guard: .worker("w7"), endedAt: Self.start.addingTimeInterval(2), outcome: .succeeded,
                    status: .completed, result: Data("{}".utf8)
                )
            })
            let expected = AttemptRecord(
                number: 1, workerID: "w7", startedAt: Self.start.addingTimeInterval(1), endedAt: Self.start.addingTimeInterval(2), outcome: .succeeded
            )
            for (id, result) in zip(ids, results) {
                #expect(result?.attempts == [expected], "the completion returns the attempt")
                #expect(try await store.run(id: id)?.attempts == [expected], "a read makes it from the run's row")
                #expect(try await Self.rows(id, store, client).isEmpty, "no attempt row")
            }
        }
    }

    /// An older version inserted the attempt's row at the claim and left `attempt_started_at`
    /// alone: `NULL` on a first attempt, or the time of an earlier attempt this version started.
    @Test(arguments: [true, false], [false, true])
    func anAttemptAnOlderVersionStartedEndsInItsRow(directCompletion: Bool, afterANewerAttempt: Bool) async throws {
        let client = try TestDatabase.shared.get()
        try await TestDatabase.withStores(client: client) { make in
            let store = try await make()
            let runs = "\"\(store.schema)\".runs", attempts = "\"\(store.schema)\".attempts"
            let id = try await store.insertRuns([NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: Self.start, maxAttempts: 2)], now: Self.start)[0].id
            var number = 1
            if afterANewerAttempt {
                _ = try #require(try await Self.claim(store, at: Self.start.addingTimeInterval(1)))
                let retry = AttemptCompletion(
                    runID: id, attempt: 1, guard: .worker("w"), endedAt: Self.start.addingTimeInterval(2), outcome: .failed,
                    status: .retrying, retryAt: Self.start.addingTimeInterval(2), error: RunError(type: "e", name: "E", message: "boom")
                )
                _ = try #require(try await store.completeAttempts([retry])[0])
                number = 2
            }
            // The older version's claim: the run's columns, and a row for the attempt.
            let claimedAt = Self.start.addingTimeInterval(10).timeIntervalSinceReferenceDate
            _ = try await client.query(PostgresQuery(unsafeSQL: """
                UPDATE \(runs) SET status = 'executing', attempt_count = \(number), worker_id = 'w', lease_expires_at = \(claimedAt + 60),
                    submitted_at = coalesce(submitted_at, \(claimedAt)), updated_at = \(claimedAt)
                WHERE id = '\(id.rawValue)'
                """)).collect()
            _ = try await client.query(PostgresQuery(unsafeSQL:
                "INSERT INTO \(attempts) (run_id, number, worker_id, started_at) VALUES ('\(id.rawValue)', \(number), 'w', \(claimedAt))"
            )).collect()
            let open = AttemptRecord(number: number, workerID: "w", startedAt: Self.start.addingTimeInterval(10))
            #expect(try await store.run(id: id)?.attempts.last == open, "the stored open attempt is read once")
            #expect(try await store.run(id: id)?.attempts.count == number)

            let done = try #require(try await Self.complete(Self.succeeded(id, attempt: number, at: Self.start.addingTimeInterval(11)), direct: directCompletion, store))
            var ended = open
            ended.endedAt = Self.start.addingTimeInterval(11)
            ended.outcome = .succeeded
            #expect(done.attempts.last == ended)
            #expect(done.attempts.count == number)
            #expect(try await store.run(id: id)?.attempts.last == ended)
            let stored = try await Self.rows(id, store, client)
            #expect(stored.count == number, "no second row for the attempt")
            #expect(stored.last == [Double(number), claimedAt, Self.start.addingTimeInterval(11).timeIntervalSinceReferenceDate])
        }
    }
}
