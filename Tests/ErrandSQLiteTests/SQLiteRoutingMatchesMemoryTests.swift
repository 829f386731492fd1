import Errand
import ErrandSQLite
import Foundation
import Testing

/// Worker routing, published events and run logs under one random workload: ``MemoryRunStore``
/// (the reference) and ``SQLiteRunStore`` must give the same answers, call for call.
@Suite("SQLiteRunStore routing, events and logs match MemoryRunStore")
struct SQLiteRoutingMatchesMemoryTests {
    typealias SeededGenerator = SQLiteMatchesMemoryTests.SeededGenerator

    let t0 = Date(timeIntervalSince1970: 1_767_225_600)
    let labelSets: [[String]] = [[], [], [], ["gpu"], ["gpu", "large"], ["large"], ["arm"]]
    let origins: [RunOrigin] = [.app, RunOrigin(.apiKey, "ci"), RunOrigin(.apiKey, "ops"), RunOrigin(.cli, "ann"), RunOrigin(.dashboard)]

    func randomRun(task: String? = nil, around now: Date, _ random: inout SeededGenerator) -> NewRun {
        NewRun(
            task: task ?? ["a", "b"].randomElement(using: &random)!,
            queue: ["fast", "single", "open"].randomElement(using: &random)!,
            concurrencyKey: [nil, nil, "k1", "k2"].randomElement(using: &random)!,
            priority: Int.random(in: -1...2, using: &random), payload: Data("{}".utf8),
            scheduledAt: now + Double(Int.random(in: -20...20, using: &random)),
            origin: origins.randomElement(using: &random)!, requiredLabels: labelSets.randomElement(using: &random)!,
            cost: [1, 1, 1, 2, 3, 5].randomElement(using: &random)!
        )
    }

    @Test(arguments: [11, 12, 13, 14, 15] as [UInt64])
    func randomRoutingWorkloadGivesTheSameAnswers(seed: UInt64) async throws {
        try await withTemporaryPath { path in
            var random = SeededGenerator(seed: seed)
            let (memory, sqlite) = try await SQLiteMatchesMemoryTests.storePair(
                at: path, queues: [QueueConfig(name: "fast", concurrency: 3), QueueConfig(name: "single", concurrency: 1)]
            )
            let stores: [any RunStore] = [memory, sqlite]
            var executing: [RunRecord] = []
            var known: [RunID] = []
            var claimedCount = 0, publishedCount = 0
            for round in 0..<60 {
                let now = t0 + Double(round * 5)
                if round.isMultiple(of: 3) {
                    let runs = (0..<Int.random(in: 1...25, using: &random)).map { _ in randomRun(around: now, &random) }
                    let inserted = try await memory.insertRuns(runs, now: now)
                    #expect(try await sqlite.insertRuns(runs, now: now) == inserted, "round \(round): insert")
                    known += inserted.map(\.id)
                }
                if Int.random(in: 0..<3, using: &random) == 0 {
                    // A small pool of ids, so some publishes repeat one.
                    let id = "evt_\(Int.random(in: 0..<8, using: &random))"
                    let runs = (0..<Int.random(in: 0...3, using: &random)).map { index in
                        var run = randomRun(task: "sub\(index)", around: now, &random)
                        run.idempotencyKey = "event:\(id)"
                        run.origin = RunOrigin(.event, id)
                        return run
                    }
                    let event = EventRecord(
                        id: id, name: ["user.created", "order.paid"].randomElement(using: &random)!, payload: Data("{}".utf8),
                        publishedAt: now, origin: origins.randomElement(using: &random)!
                    )
                    let published = try await memory.publishEvent(event, runs: runs, now: now)
                    #expect(try await sqlite.publishEvent(event, runs: runs, now: now) == published, "round \(round): publish \(id)")
                    if published.created { known += published.event.runIDs }
                    publishedCount += published.created ? 1 : 0
                }
                let request = ClaimRequest(
                    workerID: "w\(round % 3)", queues: [nil, ["fast"], ["single", "open"]].randomElement(using: &random)!,
                    limit: Int.random(in: 0...8, using: &random), now: now, leaseUntil: now + 12,
                    labels: [[], ["gpu"], ["gpu", "large"], ["large", "arm", "x"]].randomElement(using: &random)!,
                    slots: [nil, 0, 1, 3, 5, 8].randomElement(using: &random)!
                )
                let claimed = try await memory.claimRuns(request)
                #expect(try await sqlite.claimRuns(request) == claimed, "round \(round): claim \(request)")
                executing += claimed
                claimedCount += claimed.count

                if !known.isEmpty {
                    let lines = (0..<Int.random(in: 0...6, using: &random)).flatMap { _ in
                        // Half the lines go to the first runs, so their logs reach the bound.
                        let run = Bool.random(using: &random) ? known[0..<min(3, known.count)].randomElement(using: &random)! : known.randomElement(using: &random)!
                        return (0..<Int.random(in: 1...250, using: &random)).map { index in
                            RunLogLine(
                                runID: run, attempt: Int.random(in: 1...3, using: &random), level: ["info", "error"].randomElement(using: &random)!,
                                message: "round \(round) line \(index)", metadata: index.isMultiple(of: 7) ? ["i": "\(index)"] : [:], at: now
                            )
                        }
                    }
                    for store in stores { try await store.appendLogs(lines) }
                    let run = known.randomElement(using: &random)!
                    let after = Int.random(in: 0...1000, using: &random), limit = Int.random(in: 0...1100, using: &random)
                    #expect(
                        try await sqlite.logs(runID: run, after: after, limit: limit) == (try await memory.logs(runID: run, after: after, limit: limit)),
                        "round \(round): logs of \(run) after \(after)"
                    )
                }

                executing.shuffle(using: &random)
                var completions: [AttemptCompletion] = []
                while let run = executing.popLast(), Bool.random(using: &random) {
                    let status: RunStatus = [.completed, .failed, .retrying].randomElement(using: &random)!
                    completions.append(AttemptCompletion(
                        runID: run.id, attempt: run.attemptCount, guard: .worker(run.workerID!), endedAt: now + 1,
                        outcome: status == .completed ? .succeeded : .failed, status: status,
                        retryAt: status == .retrying ? now + Double(Int.random(in: 1...20, using: &random)) : nil,
                        error: status == .completed ? nil : RunError(type: "runtime", name: "E", message: "round \(round)")
                    ))
                }
                let completed = try await memory.completeAttempts(completions)
                #expect(try await sqlite.completeAttempts(completions) == completed, "round \(round): complete")
            }
            #expect(claimedCount > 30 && publishedCount > 3, "the workload claimed \(claimedCount) runs and published \(publishedCount) events")

            var queries = [RunQuery(limit: 1000)]
            queries += origins.map { RunQuery(limit: 1000, origin: $0) } + [RunQuery(limit: 1000, origin: RunOrigin(.apiKey))]
            queries += (0..<8).map { RunQuery(limit: 1000, eventID: "evt_\($0)") }
            for query in queries {
                #expect(try await sqlite.listRuns(query) == (try await memory.listRuns(query)), "list \(query)")
            }
            for query in [EventQuery(limit: 1000), EventQuery(name: "order.paid", limit: 1000)] {
                #expect(try await sqlite.listEvents(query) == (try await memory.listEvents(query)), "events \(query)")
            }
            var capped = 0
            for run in known {
                #expect(try await sqlite.run(id: run) == (try await memory.run(id: run)), "run \(run)")
                if try await memory.logs(runID: run, after: RunLogLine.maximumPerRun - 1, limit: 1).first?.isTruncationMarker == true { capped += 1 }
                #expect(try await sqlite.logs(runID: run, after: 0, limit: 2000) == (try await memory.logs(runID: run, after: 0, limit: 2000)), "logs of \(run)")
            }
            #expect(capped > 0, "some logs reached the bound")
            let cutoffs: [RunStatus: Date] = [.completed: t0 + 200, .failed: t0 + 250]
            let pruned = try await memory.pruneRuns(finishedBefore: cutoffs, limit: 10_000)
            #expect(try await sqlite.pruneRuns(finishedBefore: cutoffs, limit: 10_000) == pruned, "prune")
            for run in known {
                #expect(try await sqlite.logs(runID: run, after: 0, limit: 2000) == (try await memory.logs(runID: run, after: 0, limit: 2000)), "logs of \(run) after pruning")
            }
        }
    }
}
