import Errand
import ErrandSQLite
import Foundation
import Testing

/// The edges of the SQLite store's hot path (claims and completions read through the SQLite C
/// API, written many rows per statement) against ``MemoryRunStore``, the reference.
@Suite("SQLiteRunStore hot path matches MemoryRunStore")
struct SQLiteHotPathTests {
    let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    /// Both stores, with the same runs inserted.
    func stores(_ runs: [NewRun], at now: Date, path: String) async throws -> (MemoryRunStore, SQLiteRunStore) {
        let memory = MemoryRunStore()
        let sqlite = try SQLiteRunStore(path: path, configuration: .init(durability: .off))
        let inserted = try await memory.insertRuns(runs, now: now)
        #expect(try await sqlite.insertRuns(runs, now: now) == inserted)
        return (memory, sqlite)
    }

    func claim(_ memory: MemoryRunStore, _ sqlite: SQLiteRunStore, _ request: ClaimRequest) async throws -> [RunRecord] {
        let expected = try await memory.claimRuns(request)
        let claimed = try await sqlite.claimRuns(request)
        #expect(claimed == expected, "claim \(request)")
        return expected
    }

    func complete(_ memory: MemoryRunStore, _ sqlite: SQLiteRunStore, _ completions: [AttemptCompletion]) async throws -> [RunRecord?] {
        let expected = try await memory.completeAttempts(completions)
        let completed = try await sqlite.completeAttempts(completions)
        #expect(completed == expected, "complete")
        return expected
    }

    func expectSameRuns(_ memory: MemoryRunStore, _ sqlite: SQLiteRunStore, _ ids: [RunID]) async throws {
        for id in ids {
            let expected = try await memory.run(id: id)
            let read = try await sqlite.run(id: id)
            #expect(read == expected, "run \(id): \(differences(read, expected))")
        }
    }

    /// The fields in which two records differ, for a readable failure.
    func differences(_ a: RunRecord?, _ b: RunRecord?) -> String {
        guard let a, let b else { return "\(a == nil ? "missing" : "present") vs \(b == nil ? "missing" : "present")" }
        return zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children)
            .filter { "\($0.value)" != "\($1.value)" }
            .map { "\($0.label ?? "?"): \($0.value) vs \($1.value)" }
            .joined(separator: "; ")
    }

    @Test func claimsAndCompletionsOfEveryKindMatch() async throws {
        try await withTemporaryPath { path in
            let now = t0
            let runs = (0..<75).map { index in
                NewRun(
                    task: "t", queue: index.isMultiple(of: 3) ? "a" : "b", concurrencyKey: index.isMultiple(of: 5) ? "k\(index % 2)" : nil,
                    priority: index % 3, payload: index.isMultiple(of: 7) ? Data() : Data("{\"i\":\(index),\"s\":\"zoë\"}".utf8),
                    tags: [[], ["x"], ["a\"b", "ü", "x,y", "]"], ["tab\there", "back\\slash", ""], ["ünïcödé", "😀"]][index % 5],
                    scheduledAt: now - Double(index % 4), expiresAt: index.isMultiple(of: 4) ? now + 100 : nil, maxAttempts: 3
                )
            }
            let (memory, sqlite) = try await stores(runs, at: now, path: path)
            try await expectSameRuns(memory, sqlite, runs.map(\.id))

            // More than one chunk of claims, from two queues.
            let claimed = try await claim(memory, sqlite, ClaimRequest(workerID: "w1", limit: 70, now: now + 1, leaseUntil: now + 30))
            #expect(claimed.count == 70)

            // More than one chunk of completions, every kind, an unknown run, a completion twice,
            // a sub-nanosecond execution time, an empty result.
            var completions: [AttemptCompletion] = []
            for (index, run) in claimed.enumerated() {
                let status: RunStatus = [.completed, .failed, .retrying, .waiting, .canceled, .timedOut, .crashed, .executing][index % 8]
                completions.append(AttemptCompletion(
                    runID: run.id, attempt: run.attemptCount, guard: .worker("w1"), endedAt: now + 2,
                    outcome: status == .completed ? .succeeded : .failed, status: status,
                    retryAt: index.isMultiple(of: 2) ? now + 5 : nil,
                    result: status == .completed ? (index.isMultiple(of: 16) ? Data() : Data("[\(index)]".utf8)) : nil,
                    resultNote: index.isMultiple(of: 9) ? "note" : nil,
                    error: index.isMultiple(of: 3) ? RunError(type: "runtime", name: "E", message: "m\(index)", stack: index.isMultiple(of: 2) ? nil : "s") : nil,
                    executionTime: .milliseconds(index)
                ))
                if index == 20 { completions.append(completions[completions.count - 1]) }
                if index == 30 {
                    var unknown = completions[completions.count - 1]
                    unknown.runID = "run_unknown"
                    completions.append(unknown)
                }
            }
            _ = try await complete(memory, sqlite, completions)
            try await expectSameRuns(memory, sqlite, runs.map(\.id))

            // Second attempts (retrying and waiting runs are due at +5), and rescues.
            let again = try await claim(memory, sqlite, ClaimRequest(workerID: "w2", limit: 100, now: now + 6, leaseUntil: now + 10))
            #expect(again.contains { $0.attemptCount == 2 })
            let rescues = again.enumerated().map { index, run in
                AttemptCompletion(
                    runID: run.id, attempt: run.attemptCount, guard: index.isMultiple(of: 2) ? .leaseExpired(before: now + 11) : .leaseExpired(before: now + 9),
                    endedAt: now + 11, outcome: .crashed, status: .retrying, retryAt: now + 20,
                    error: RunError(type: "workerLost", name: "WorkerLost", message: "gone")
                )
            }
            _ = try await complete(memory, sqlite, rescues)
            try await expectSameRuns(memory, sqlite, runs.map(\.id))
            let third = try await claim(memory, sqlite, ClaimRequest(workerID: "w3", limit: 100, now: now + 21, leaseUntil: now + 40))
            _ = try await complete(memory, sqlite, third.map { run in
                AttemptCompletion(runID: run.id, attempt: run.attemptCount, guard: .worker("w3"), endedAt: now + 22, outcome: .succeeded, status: .completed, result: Data("1".utf8), executionTime: .seconds(1))
            })
            try await expectSameRuns(memory, sqlite, runs.map(\.id))
        }
    }

    /// The returned run carries the exact execution time (the store keeps whole nanoseconds).
    @Test func completionReturnsTheExactExecutionTime() async throws {
        try await withTemporaryPath { path in
            let runs = [NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: t0)]
            let (memory, sqlite) = try await stores(runs, at: t0, path: path)
            let claimed = try await claim(memory, sqlite, ClaimRequest(workerID: "w", limit: 1, now: t0, leaseUntil: t0 + 30))
            let returned = try await complete(memory, sqlite, [AttemptCompletion(
                runID: claimed[0].id, attempt: 1, guard: .worker("w"), endedAt: t0 + 1, outcome: .failed, status: .retrying,
                retryAt: t0 + 2, error: RunError(type: "runtime", name: "E", message: "m"), executionTime: .nanoseconds(1000) / 3
            )])
            #expect(returned.first??.executionTime == .nanoseconds(1000) / 3)
        }
    }
}
