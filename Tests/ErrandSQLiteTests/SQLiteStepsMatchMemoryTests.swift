import Errand
import ErrandSQLite
import Foundation
import Testing

/// A random workload of parents, awaited and fire-and-forget children, durable waits, steps and
/// tokens against ``MemoryRunStore`` (the reference) and ``SQLiteRunStore`` must give the same
/// answers, call for call: above all, completions that end children and park their parents in
/// one batch, in any order.
@Suite("SQLiteRunStore steps and wake-ups match MemoryRunStore")
struct SQLiteStepsMatchMemoryTests {
    typealias SeededGenerator = SQLiteMatchesMemoryTests.SeededGenerator

    let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    /// Both stores, driven together; every answer of the SQLite store is compared with the memory
    /// store's.
    struct Pair {
        let memory = MemoryRunStore()
        let sqlite: SQLiteRunStore

        func insert(_ runs: [NewRun], now: Date) async throws {
            let expected = try await memory.insertRuns(runs, now: now)
            #expect(try await sqlite.insertRuns(runs, now: now) == expected, "insert")
        }

        func claim(_ request: ClaimRequest) async throws -> [RunRecord] {
            let expected = try await memory.claimRuns(request)
            #expect(try await sqlite.claimRuns(request) == expected, "claim \(request)")
            return expected
        }

        func complete(_ completions: [AttemptCompletion]) async throws {
            let expected = try await memory.completeAttempts(completions)
            #expect(try await sqlite.completeAttempts(completions) == expected, "complete \(completions.map(\.status))")
        }

        func createToken(_ token: WaitToken) async throws -> WaitToken {
            let expected = try await memory.createToken(token)
            #expect(try await sqlite.createToken(token) == expected, "create token")
            return expected
        }

        func expectSameState(_ ids: [RunID], _ tokens: [String]) async throws {
            for id in ids {
                #expect(try await sqlite.run(id: id) == (try await memory.run(id: id)), "run \(id)")
            }
            for id in tokens {
                #expect(try await sqlite.token(id: id) == (try await memory.token(id: id)), "token \(id)")
            }
            for queues in [nil, ["parents"], ["kids"]] as [Set<String>?] {
                #expect(try await sqlite.nextDueTime(queues: queues) == (try await memory.nextDueTime(queues: queues)), "next due \(String(describing: queues))")
            }
        }
    }

    /// A completion of a claimed run's attempt.
    func completion(_ run: RunRecord, _ status: RunStatus, at now: Date, retryAt: Date? = nil, waitingFor: WaitTarget? = nil) -> AttemptCompletion {
        AttemptCompletion(
            runID: run.id, attempt: run.attemptCount, guard: .worker(run.workerID ?? "?"), endedAt: now,
            outcome: status == .completed ? .succeeded : status == .waiting ? .suspended : .failed, status: status, retryAt: retryAt,
            result: status == .completed ? Data("1".utf8) : nil,
            error: status == .completed || status == .waiting ? nil : RunError(type: "runtime", name: "E", message: "no"),
            executionTime: .milliseconds(3), waitingFor: waitingFor
        )
    }

    @Test(arguments: [21, 22, 23, 24, 25, 26] as [UInt64])
    func randomWorkloadWithChildrenGivesTheSameAnswers(seed: UInt64) async throws {
        try await withTemporaryPath { path in
            var random = SeededGenerator(seed: seed)
            let stores = Pair(sqlite: try SQLiteRunStore(path: path, configuration: .init(durability: .off)))
            var executing: [RunRecord] = []
            var ids: [RunID] = []
            var tokens: [String] = []
            var parked = 0
            func delay(_ range: ClosedRange<Int>) -> Double { Double(Int.random(in: range, using: &random)) }
            for round in 0..<50 {
                let now = t0 + Double(round * 5)
                if round.isMultiple(of: 3) {
                    let runs = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                        NewRun(task: "parent", queue: "parents", payload: Data("{}".utf8), scheduledAt: now)
                    }
                    try await stores.insert(runs, now: now)
                    ids += runs.map(\.id)
                }
                for queue in ["parents", "kids"] {
                    let request = ClaimRequest(
                        workerID: "w\(round % 2)", queues: [queue], limit: Int.random(in: 0...4, using: &random), now: now, leaseUntil: now + 12
                    )
                    executing += try await stores.claim(request)
                }

                var completions: [AttemptCompletion] = []
                var still: [RunRecord] = []
                executing.shuffle(using: &random)
                for run in executing {
                    switch Int.random(in: 0..<7, using: &random) {
                    case 0:
                        still.append(run)
                    case 1 where run.depth < 2:
                        let kids = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                            NewRun(
                                task: "child", queue: "kids", payload: Data("{}".utf8), scheduledAt: now + delay(0...6),
                                expiresAt: Bool.random(using: &random) ? now + delay(1...20) : nil, parentID: run.id,
                                depth: run.depth + 1, awaited: Bool.random(using: &random)
                            )
                        }
                        try await stores.insert(kids, now: now)
                        ids += kids.map(\.id)
                        let retryAt = Bool.random(using: &random) ? nil : now + delay(5...60)
                        completions.append(completion(run, .waiting, at: now + delay(0...4), retryAt: retryAt, waitingFor: .children(kids.filter(\.awaited).map(\.id))))
                        parked += 1
                    case 2:
                        let key = Bool.random(using: &random) ? "key\(Int.random(in: 0..<4, using: &random))" : nil
                        let token = try await stores.createToken(WaitToken(
                            id: WaitToken.generateID(), runID: run.id, idempotencyKey: key, status: .pending, createdAt: now, expiresAt: nil
                        ))
                        tokens.append(token.id)
                        completions.append(completion(run, .waiting, at: now + delay(0...4), waitingFor: .token(token.id)))
                        parked += 1
                    case 3:
                        let attempt = Bool.random(using: &random) ? run.attemptCount : run.attemptCount + 1
                        let step = StepRecord(
                            key: "s\(Int.random(in: 0..<3, using: &random))", status: .completed, startedAt: now, endedAt: now,
                            output: Data("\(round)".utf8), attempt: attempt
                        )
                        let saved = try await stores.memory.saveStep(step, runID: run.id, attempt: attempt)
                        #expect(try await stores.sqlite.saveStep(step, runID: run.id, attempt: attempt) == saved, "save step")
                        still.append(run)
                    default:
                        let status: RunStatus = [.completed, .failed, .retrying, .canceled, .timedOut].randomElement(using: &random)!
                        completions.append(completion(run, status, at: now + delay(0...4), retryAt: status == .retrying ? now + delay(1...20) : nil))
                    }
                }
                executing = still
                let lapsed = try await stores.memory.expiredLeases(now: now, limit: 5)
                #expect(try await stores.sqlite.expiredLeases(now: now, limit: 5) == lapsed, "round \(round): lapsed leases")
                for run in lapsed {
                    completions.insert(AttemptCompletion(
                        runID: run.id, attempt: run.attemptCount, guard: .leaseExpired(before: now), endedAt: now, outcome: .crashed,
                        status: Bool.random(using: &random) ? .crashed : .retrying, retryAt: now + 3
                    ), at: Int.random(in: 0...completions.count, using: &random))
                }
                completions.shuffle(using: &random)
                try await stores.complete(completions)

                if round % 4 == 1, let id = ids.randomElement(using: &random) {
                    let expected = try await stores.memory.cancelRun(id: id, now: now)
                    #expect(try await stores.sqlite.cancelRun(id: id, now: now) == expected, "round \(round): cancel")
                }
                if round % 5 == 2 {
                    let expected = try await stores.memory.expireRuns(now: now, limit: 4)
                    #expect(try await stores.sqlite.expireRuns(now: now, limit: 4) == expected, "round \(round): expire")
                }
                if round.isMultiple(of: 2), let id = tokens.randomElement(using: &random) {
                    let resolution: TokenResolution = Bool.random(using: &random) ? .complete(Data("\(round)".utf8)) : .timeOut
                    let expected = try await stores.memory.resolveToken(id: id, resolution: resolution, now: now)
                    #expect(try await stores.sqlite.resolveToken(id: id, resolution: resolution, now: now) == expected, "round \(round): resolve")
                }
                if round % 10 == 9 { try await stores.expectSameState(ids, tokens) }
            }
            try await stores.expectSameState(ids, tokens)
            for parent in try await stores.memory.listRuns(RunQuery(task: "parent", limit: 1000)).runs {
                let query = RunQuery(limit: 1000, parentID: parent.id)
                #expect(try await stores.sqlite.listRuns(query) == (try await stores.memory.listRuns(query)), "children of \(parent.id)")
            }
            #expect(parked > 10 && ids.count > 30, "the workload parked \(parked) runs among \(ids.count)")
            let cutoffs: [RunStatus: Date] = [.completed: t0 + 200, .failed: t0 + 200, .canceled: t0 + 200, .crashed: t0 + 200]
            let pruned = try await stores.memory.pruneRuns(finishedBefore: cutoffs, limit: 10_000)
            #expect(try await stores.sqlite.pruneRuns(finishedBefore: cutoffs, limit: 10_000) == pruned, "prune")
            try await stores.expectSameState(ids, tokens)
        }
    }
}
