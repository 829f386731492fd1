import Errand
@testable import ErrandSQLite
import ErrandTesting
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

/// What only a store on a file can show: durability, several stores sharing a file, group commit.
@Suite("SQLiteRunStore on disk")
struct SQLiteDurabilityTests {
    let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    func newRun(queue: String = "q", key: String? = nil, due: Date? = nil) -> NewRun {
        NewRun(task: "task", queue: queue, concurrencyKey: key, payload: Data("{}".utf8), scheduledAt: due ?? t0)
    }

    func claim(_ store: SQLiteRunStore, worker: String, limit: Int, now: Date? = nil) async throws -> [RunRecord] {
        let now = now ?? t0
        return try await store.claimRuns(ClaimRequest(workerID: worker, limit: limit, now: now, leaseUntil: now + 30))
    }

    @Test func runsSurviveReopening() async throws {
        try await withTemporaryPath { path in
            let runs = (0..<5).map { index in newRun(due: t0 + TimeInterval(index)) }
            var before: [RunRecord] = []
            do {
                let store = try SQLiteRunStore(path: path)
                _ = try await store.insertRuns(runs, now: t0)
                let claimed = try await claim(store, worker: "w1", limit: 1, now: t0 + 10)
                let done = AttemptCompletion(
                    runID: claimed[0].id, attempt: 1, guard: .worker("w1"), endedAt: t0 + 11, outcome: .succeeded,
                    status: .completed, result: Data("42".utf8), executionTime: .milliseconds(1234)
                )
                _ = try await store.completeAttempts([done])
                for run in runs { before.append(try #require(try await store.run(id: run.id))) }
            }
            let reopened = try SQLiteRunStore(path: path)
            for run in before {
                #expect(try await reopened.run(id: run.id) == run, "run \(run.id) reads back the same after reopening")
            }
            #expect(try await reopened.countRuns(statuses: nil) == 5)
            #expect(try await reopened.countRuns(statuses: [.completed]) == 1)
        }
    }

    @Test func oddValuesRoundTrip() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let tags = ["quote\"d", "back\\slash", "new\nline", "tab\t", "\u{1}", "zoë 🚀", "", "a,b"]
            let run = NewRun(task: "t", queue: "q", payload: Data(), tags: tags, scheduledAt: t0)
            _ = try await store.insertRuns([run], now: t0)
            let read = try #require(try await store.run(id: run.id))
            #expect(read.payload == Data(), "an empty payload stays empty")
            #expect(read.tags == tags)
            for tag in tags {
                #expect(try await store.listRuns(RunQuery(tag: tag)).runs.map(\.id) == [run.id], "tag \(tag) matches exactly")
            }
            #expect(try await store.listRuns(RunQuery(tag: "a")).runs.isEmpty, "no partial match")
            #expect(try await store.listRuns(RunQuery(tag: "zoë")).runs.isEmpty, "no partial match")
        }
    }

    @Test func parentDirectoriesAreCreated() async throws {
        let path = temporaryPath("nested/deeper/errand.sqlite")
        defer { removeDatabase(at: URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().path) }
        let store = try SQLiteRunStore(path: path)
        #expect(store.path == path)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: [
        (SQLiteRunStore.Durability.full, 2), (SQLiteRunStore.Durability.normal, 1), (SQLiteRunStore.Durability.off, 0),
    ])
    func durabilitySetsSynchronous(_ durability: SQLiteRunStore.Durability, expected: Int) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: durability))
            let (synchronous, journal) = try await store.pool.writeWithoutTransaction { db in
                (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
            }
            #expect(synchronous == expected, "\(durability) is synchronous=\(expected)")
            #expect(journal == "wal")
        }
    }

    @Test func fullDurabilityIsTheDefault() {
        #expect(SQLiteRunStore.Configuration().durability == .full)
    }

    @Test func migrationRunsOnceWhenStoresOpenAFileTogether() async throws {
        try await withTemporaryPath { path in
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try SQLiteRunStore(path: path) } catch { failures.withLock { $0.append("\(error)") } }
            }
            #expect(failures.withLock { $0 } == [])
            let store = try SQLiteRunStore(path: path)
            let migrations = try await store.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            #expect(migrations == (1...SQLiteRunStore.schemaVersion).map { "v\($0)" })
        }
    }

    @Test func migrationToV4KeepsRunsAndParksNone() async throws {
        try await withTemporaryPath { path in
            // A file of the previous release: migrated up to v3, with a delayed and a retrying run.
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true
            )
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v3")
            try await old.write { db in
                for (id, status, due) in [("run_old1", "delayed", 100.0), ("run_old2", "retrying", 50.0)] {
                    try db.execute(
                        sql: """
                            INSERT INTO runs (id, task, queue, status, priority, payload, tags, created_at, scheduled_at, updated_at,
                                attempt_count, max_attempts, execution_nanoseconds, parent_id)
                            VALUES (?, 'task', 'q', ?, 0, x'7B7D', '[]', ?, ?, ?, 1, 3, 0, 'run_parent')
                            """,
                        arguments: [id, status, ColumnCoding.time(t0), ColumnCoding.time(t0 + due), ColumnCoding.time(t0)]
                    )
                }
            }
            try old.close()
            let store = try SQLiteRunStore(path: path)
            let migrated = try #require(try await store.run(id: "run_old1"))
            #expect(migrated.status == .delayed && migrated.scheduledAt == t0 + 100 && migrated.parentID == "run_parent")
            #expect(migrated.depth == 0 && migrated.awaited == false && migrated.suspensions == 0 && migrated.steps.isEmpty)
            #expect(try await store.nextDueTime(queues: nil) == t0 + 50, "the recreated runs_due index holds the old runs")
            #expect(try await store.listRuns(RunQuery(parentID: "run_parent")).runs.map(\.id) == ["run_old2", "run_old1"])
            let claimed = try await claim(store, worker: "w", limit: 5, now: t0 + 100)
            #expect(claimed.map(\.id) == ["run_old2", "run_old1"])
        }
    }

    @Test func aFileANewerBuildMigratedIsOpenedUntilAVersionAsksForANewerBuild() async throws {
        try await withTemporaryPath { path in
            let known = SQLiteRunStore.schemaVersion
            let first = try SQLiteRunStore(path: path)
            let id = try #require(try await first.insertRuns([newRun()], now: t0).first?.id)
            #expect(try await first.read { db in try Int.fetchAll(db, sql: "SELECT version FROM errand_schema_versions ORDER BY version") } == Array(Schema.compatibilityVersion...known))

            // A newer build applied a version that older builds may still use: opened, with a warning.
            try await first.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: ["v\(known + 1)"])
                try db.execute(sql: "INSERT INTO errand_schema_versions (version, compatible_from) VALUES (?, 1)", arguments: [known + 1])
            }
            let warnings = RecordedLog()
            let compatible = try SQLiteRunStore(path: path, logger: Logger(label: "test") { _ in warnings })
            #expect(try await compatible.run(id: id)?.status == .queued)
            #expect(warnings.messages == ["a newer build of Errand migrated the database; this one may still use it, but upgrade it"])

            // Then one that only builds knowing it may use: refused, naming both versions; nothing changes.
            try await first.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: ["v\(known + 2)"])
                try db.execute(sql: "INSERT INTO errand_schema_versions (version, compatible_from) VALUES (?, ?)", arguments: [known + 2, known + 2])
            }
            let before = try await first.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            #expect(throws: SQLiteSchemaError.tooNew(path: path, applied: known + 2, oldestCompatible: known + 2, known: known)) {
                try SQLiteRunStore(path: path)
            }
            let error = SQLiteSchemaError.tooNew(path: path, applied: known + 2, oldestCompatible: known + 2, known: known)
            #expect("\(error)".contains("is at schema version \(known + 2)") && "\(error)".contains("upgrade this process"))
            #expect(try await first.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") } == before)
            #expect(try await first.run(id: id)?.status == .queued)
        }
    }

    @Test func aFileWithAMigrationThisBuildDoesNotKnowAndNoCompatibilityRecordIsOpened() async throws {
        try await withTemporaryPath { path in
            let first = try SQLiteRunStore(path: path)
            try await first.write { db in
                try db.execute(sql: "DROP TABLE errand_schema_versions")
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('add-reports')")
            }
            let warnings = RecordedLog()
            _ = try SQLiteRunStore(path: path, logger: Logger(label: "test") { _ in warnings })
            #expect(warnings.messages.count == 1)
        }
    }

    @Test func migrationLosingTheRaceToAnotherProcessSucceeds() async throws {
        try await withTemporaryPath { path in
            // Another "process" has created the migrations table and is applying v1 right now,
            // so this store reads v1 as missing, then waits for the other's transaction to end.
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true
            )
            var configuration = GRDB.Configuration()
            configuration.journalMode = .wal
            configuration.allowsUnsafeTransactions = true
            let other = try DatabaseQueue(path: path, configuration: configuration)
            try await other.writeWithoutTransaction { db in
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: Schema.v1)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v1')")
            }
            let opened = Mutex<Result<SQLiteRunStore, any Error>?>(nil)
            let thread = Thread { opened.withLock { $0 = Result { try SQLiteRunStore(path: path) } } }
            thread.start()
            try await Task.sleep(for: .milliseconds(300))
            try await other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            while opened.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
            let store = try opened.withLock { try $0!.get() }
            _ = try await store.insertRuns([newRun()], now: t0)
            #expect(try await store.countRuns(statuses: nil) == 1)
        }
    }

    @Test func twoStoresOnOneFileNeverClaimTwiceNorExceedTheLimit() async throws {
        try await withTemporaryPath { path in
            let first = try SQLiteRunStore(path: path)
            let second = try SQLiteRunStore(path: path)
            try await first.upsertQueues([QueueConfig(name: "q", concurrency: 4)])
            let ids = try await first.insertRuns((0..<120).map { _ in newRun() }, now: t0).map(\.id)
            var seen: Set<RunID> = []
            for round in 1...100 {
                let now = t0 + TimeInterval(round)
                let claimed = try await withThrowingTaskGroup(of: [RunRecord].self) { group in
                    for worker in 0..<6 {
                        let store = worker.isMultiple(of: 2) ? first : second
                        group.addTask { try await claim(store, worker: "w\(worker)", limit: 3, now: now) }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(claimed.count <= 4, "round \(round): \(claimed.count) claimed in a queue of limit 4")
                #expect(try await second.countRuns(statuses: [.executing]) <= 4)
                #expect(seen.isDisjoint(with: claimed.map(\.id)), "round \(round): a run was claimed twice")
                seen.formUnion(claimed.map(\.id))
                if claimed.isEmpty { break }
                let completions = claimed.map { run in
                    AttemptCompletion(
                        runID: run.id, attempt: run.attemptCount, guard: .worker(run.workerID!), endedAt: now,
                        outcome: .succeeded, status: .completed
                    )
                }
                let applied = try await (round.isMultiple(of: 2) ? first : second).completeAttempts(completions)
                #expect(applied.allSatisfy { $0 != nil })
            }
            #expect(seen == Set(ids))
        }
    }

    @Test func concurrentInsertsShareCommits() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let commits = CommitCounter()
            try await store.pool.writeWithoutTransaction { db in db.add(transactionObserver: commits) }
            let ids = try await withThrowingTaskGroup(of: RunID.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        let run = newRun()
                        let result = try await store.insertRuns([run], now: t0)
                        #expect(result == [InsertResult(id: run.id, created: true)])
                        return run.id
                    }
                }
                return try await group.reduce(into: Set<RunID>()) { $0.insert($1) }
            }
            #expect(ids.count == 200)
            #expect(try await store.countRuns(statuses: nil) == 200)
            for id in ids { #expect(try await store.run(id: id) != nil) }
            #expect(commits.count < 200, "200 concurrent inserts took \(commits.count) commits")
        }
    }

    @Test func aFailingWriteInABatchOnlyFailsItself() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let existing = newRun()
            _ = try await store.insertRuns([existing], now: t0)
            let commits = CommitCounter()
            try await store.pool.writeWithoutTransaction { db in db.add(transactionObserver: commits) }

            // Hold the writer so that every write below queues up for one batch.
            let gate = Task { try await store.batcher.write { _ in Thread.sleep(forTimeInterval: 0.3) } }
            try await Task.sleep(for: .milliseconds(50))
            let outcomes = await withTaskGroup(of: (Int, Result<[InsertResult], any Error>).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        // Every fourth insert reuses an existing run's id: a UNIQUE constraint failure
                        // after its first run (a fresh one) was inserted.
                        let runs = index.isMultiple(of: 4)
                            ? [newRun(), NewRun(id: existing.id, task: "task", queue: "q", payload: Data(), scheduledAt: t0)]
                            : [newRun(), newRun()]
                        do { return (index, .success(try await store.insertRuns(runs, now: t0))) } catch { return (index, .failure(error)) }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            try await gate.value
            for (index, outcome) in outcomes {
                switch outcome {
                case .success(let results):
                    #expect(!index.isMultiple(of: 4), "insert \(index) should have failed")
                    for result in results { #expect(try await store.run(id: result.id) != nil) }
                case .failure(let error):
                    #expect(index.isMultiple(of: 4), "insert \(index) failed: \(error)")
                    #expect((error as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT)
                }
            }
            #expect(try await store.countRuns(statuses: nil) == 1 + 30 * 2, "the failing inserts left nothing behind")
            #expect(commits.count <= 3, "the 40 queued writes took \(commits.count) commits")
        }
    }

    @Test func aLoneFailingWriteLeavesNothingBehind() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let existing = newRun()
            _ = try await store.insertRuns([existing], now: t0)
            let fresh = newRun()
            await #expect(throws: DatabaseError.self) {
                try await store.insertRuns([fresh, NewRun(id: existing.id, task: "task", queue: "q", payload: Data(), scheduledAt: t0)], now: t0)
            }
            #expect(try await store.run(id: fresh.id) == nil, "the call is one transaction")
            #expect(try await store.countRuns(statuses: nil) == 1)
            _ = try await store.insertRuns([fresh], now: t0)
            #expect(try await store.countRuns(statuses: nil) == 2, "the store still writes")
        }
    }

    @Test func writeBatcherGivesEachWriteItsOwnResult() async throws {
        struct Refused: Error, Equatable { var index: Int }
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            try await store.batcher.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER)") }
            let results = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
                for index in 0..<100 {
                    group.addTask {
                        do {
                            let value = try await store.batcher.write { db in
                                try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [index])
                                if index.isMultiple(of: 10) { throw Refused(index: index) }
                                return index * 2
                            }
                            return (index, .success(value))
                        } catch {
                            return (index, .failure(error as! Refused))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for index in 0..<100 {
                #expect(results[index] == (index.isMultiple(of: 10) ? .failure(Refused(index: index)) : .success(index * 2)))
            }
            let stored = try await store.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
            #expect(stored == (0..<100).filter { !$0.isMultiple(of: 10) }, "a refused write's insert is rolled back, the others kept")
        }
    }

    @Test func dataVersionChangesOnEveryCommit() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let other = try SQLiteRunStore(path: path)
            let start = try await store.dataVersion()
            #expect(try await store.dataVersion() == start, "no commit, no change")
            _ = try await other.insertRuns([newRun()], now: t0)
            let afterOther = try await store.dataVersion()
            #expect(afterOther != start, "a commit by another store")
            _ = try await store.insertRuns([newRun()], now: t0)
            #expect(try await store.dataVersion() != afterOther, "a commit by this store")
        }
    }

    #if os(Linux)
    @Test func changesYieldAfterAnotherStoreCommits() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let other = try SQLiteRunStore(path: path)
            let changes = store.changes()
            let woke = Task {
                var iterator = changes.makeAsyncIterator()
                return await iterator.next() != nil
            }
            try await Task.sleep(for: .milliseconds(50))
            _ = try await other.insertRuns([newRun()], now: t0)
            let timeout = Task {
                try await Task.sleep(for: .seconds(5))
                woke.cancel()
            }
            #expect(await woke.value, "a commit by another store wakes the stream")
            timeout.cancel()
        }
    }
    #endif

    @Test func helpersCountDeleteAndCheckpoint() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            _ = try await store.insertRuns((0..<10).map { index in newRun(due: t0 + TimeInterval(index % 2 * 100)) }, now: t0)
            _ = try await claim(store, worker: "w", limit: 2)
            #expect(try await store.countRuns(statuses: [.queued, .delayed]) == 8)
            #expect(try await store.countRuns(statuses: [.executing]) == 2)
            try await store.checkpoint()
            let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
            #expect(walSize == 0, "the checkpoint truncates the WAL")
            try await store.deleteAllRuns()
            #expect(try await store.countRuns(statuses: nil) == 0)
            let attempts = try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attempts") }
            #expect(attempts == 0)
            let ids = try await store.insertRuns([newRun()], now: t0)
            #expect(try await store.run(id: ids[0].id)!.sequence > 10, "sequences keep increasing after deleting")
        }
    }

    @Test func claimIgnoresRunsDueLater() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: .off))
            _ = try await store.insertRuns((0..<20_000).map { index in newRun(due: t0 + 3600 + TimeInterval(index)) }, now: t0)
            let due = try await store.insertRuns((0..<3).map { _ in newRun() }, now: t0)
            let claimed = try await claim(store, worker: "w", limit: 10)
            #expect(Set(claimed.map(\.id)) == Set(due.map(\.id)))
            #expect(try await store.countRuns(statuses: [.delayed]) == 20_000)
            #expect(try await store.nextDueTime(queues: ["q"]) == t0 + 3600)
        }
    }

    @Test(arguments: [
        (ClaimStatements.promoteSQL, "runs_due"),
        (ClaimStatements.firstQueueSQL, "runs_claim"),
        (ClaimStatements.nextQueueSQL, "runs_claim"),
        (ClaimStatements.executingSQL, "runs_executing"),
        (ClaimStatements.firstKeySQL, "runs_claim"),
        (ClaimStatements.nextKeySQL, "runs_claim"),
        (ClaimStatements.keyCandidatesSQL, "runs_claim"),
        (ClaimStatements.noKeyCandidatesSQL, "runs_claim"),
        (ClaimStatements.labelledKeyCandidatesSQL, "runs_claim"),
        (ClaimStatements.labelledNoKeyCandidatesSQL, "runs_claim"),
    ])
    func claimStatementsSearchTheirIndex(_ sql: String, index: String) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let plan = try await store.read { db in
                let parameters = sql.filter { $0 == "?" }.count
                let arguments = StatementArguments(Array(repeating: nil, count: parameters) as [(any DatabaseValueConvertible)?])
                return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.hasPrefix("SEARCH runs USING") && $0.contains(index) }, "plan: \(plan)")
            #expect(!plan.contains { $0.contains("SCAN runs") || $0.contains("TEMP B-TREE") }, "plan: \(plan)")
        }
    }

    @Test(arguments: [
        (SQLiteRunStore.nextDueSQL, "runs", "runs_due"),
        (SQLiteRunStore.nextDueInQueuesSQL, "runs", "runs_due"),
        (WakeStatements.wakeParentsSQL[2], "runs", "sqlite_autoindex_runs_1"),
        (WakeStatements.wakeParentsSQL[2], "child", "runs_parent"),
        (WakeStatements.wakeWaitersSQL, "runs", "sqlite_autoindex_runs_1"),
        (WakeStatements.wakeWaitersSQL, "steps", "steps_waiting_token"),
        (StepColumns.selectSQL, "steps", "steps_position"),
        (StepColumns.saveSQL, "steps", "steps_position"),
        (StepColumns.saveSQL, "runs", "sqlite_autoindex_runs_1"),
        (TokenColumns.selectByKeySQL, "wait_tokens", "wait_tokens_idempotency"),
        (TokenColumns.deleteSQL, "wait_tokens", "wait_tokens_run"),
        ("SELECT sequence FROM runs WHERE parent_id = ? ORDER BY sequence DESC LIMIT 10", "runs", "runs_parent"),
        ("SELECT sequence FROM runs WHERE origin_kind = ? AND origin_ref = ? ORDER BY sequence DESC LIMIT 10", "runs", "runs_origin"),
        ("SELECT sequence FROM runs WHERE event_id = ? ORDER BY sequence DESC LIMIT 10", "runs", "runs_event"),
        (EventColumns.selectByIDSQL, "events", "sqlite_autoindex_events_1"),
        ("SELECT \(EventColumns.selection) FROM events WHERE name = ? ORDER BY sequence DESC LIMIT ?", "events", "events_name"),
        (LogColumns.lastIndexSQL, "run_logs", "PRIMARY KEY"),
        (LogColumns.selectSQL, "run_logs", "PRIMARY KEY"),
        (LogColumns.deleteSQL, "run_logs", "PRIMARY KEY"),
    ])
    func durableStatementsSearchTheirIndex(_ sql: String, table: String, index: String) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path)
            let plan = try await store.read { db in
                let parameters = Set(sql.matches(of: /\?(\d*)/).map { $0.output.1.isEmpty ? UUID().uuidString : String($0.output.1) }).count
                let arguments = StatementArguments(Array(repeating: nil, count: parameters) as [(any DatabaseValueConvertible)?])
                return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.hasPrefix("SEARCH \(table) USING") && $0.contains(index) }, "plan: \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN \(table)") || $0.contains("TEMP B-TREE") }, "plan: \(plan)")
        }
    }
}
