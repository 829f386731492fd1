import Errand
import Foundation
import Testing

/// Writing attempt outcomes, and progress.
enum CompletionChecks {
    static func completionStoresResult(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: at(1))
        let result = Data(#"{"sent":true,"id":"ü-42"}"#.utf8)
        let done = try await store.complete(completion(of: run, .completed, at: at(9), result: result, executionTime: .seconds(8)))
        for record in [done, try await store.fetch(run.id)] {
            #expect(record.status == .completed)
            #expect(record.completedAt == at(9))
            #expect(record.failedAt == nil)
            #expect(record.updatedAt == at(9))
            #expect(record.result == result, "result bytes round-trip")
            #expect(record.error == nil)
            #expect(record.workerID == nil)
            #expect(record.leaseExpiresAt == nil)
            #expect(record.executionTime == .seconds(8))
        }
        let attempts = try await store.fetch(run.id).attempts
        #expect(attempts == [AttemptRecord(number: 1, workerID: "w1", startedAt: at(1), endedAt: at(9), outcome: .succeeded)])
    }

    static func batchWithMixedOutcomes(_ store: any RunStore) async throws {
        try await store.insertDue(6)
        let runs = try await store.claim(limit: 6)
        try #require(runs.count == 6)
        let timeout = RunError(type: "timeout", name: "Timeout", message: "took longer than 5s")
        let completions = [
            completion(of: runs[0], .completed, at: at(10), result: Data("[1]".utf8)),
            completion(of: runs[1], .completed, at: at(10), resultNote: "result larger than 64 KB"),
            completion(of: runs[2], .failed, at: at(10)),
            completion(of: runs[3], .retrying, at: at(10), retryAt: at(100)),
            completion(of: runs[4], .timedOut, at: at(10), error: timeout),
            completion(of: runs[5], .canceled, at: at(10)),
        ]
        let results = try await store.completeAttempts(completions)
        #expect(results.map { $0?.id } == runs.map(\.id), "one result per completion, in order")
        let read = try await Self.read(runs, from: store)
        #expect(read.map(\.status) == [.completed, .completed, .failed, .retrying, .timedOut, .canceled])
        #expect(read[0].result == Data("[1]".utf8) && read[0].resultNote == nil)
        #expect(read[1].result == nil && read[1].resultNote == "result larger than 64 KB")
        #expect(read[0].completedAt == at(10) && read[1].completedAt == at(10))
        #expect(read[2].failedAt == at(10) && read[2].error == sampleError)
        #expect(read[3].failedAt == nil && read[3].scheduledAt == at(100) && read[3].error == sampleError)
        #expect(read[4].failedAt == at(10) && read[4].error == timeout)
        #expect(read[5].canceledAt == at(10) && read[5].failedAt == nil && read[5].completedAt == nil)
        #expect(read.map { $0.attempts.last?.outcome } == [.succeeded, .succeeded, .failed, .failed, .timedOut, .canceled])
    }

    static func batchCompletesMany(_ store: any RunStore) async throws {
        try await store.insertDue(300)
        let runs = try await store.claim(limit: 300)
        try #require(runs.count == 300)
        let completions = runs.enumerated().map { index, run in
            index.isMultiple(of: 2)
                ? completion(of: run, .completed, at: at(5), result: Data("\(index)".utf8))
                : completion(of: run, .failed, at: at(5))
        }
        let results = try await store.completeAttempts(completions)
        #expect(results.count == 300)
        #expect(results.allSatisfy { $0 != nil })
        #expect(try await store.ids(in: [.completed]).count == 150)
        #expect(try await store.ids(in: [.failed]).count == 150)
        #expect(try await store.fetch(runs[42].id).result == Data("42".utf8))
    }

    static func retryingRunIsClaimableWhenDue(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let first = try await store.claimOne(now: t0)
        try await store.complete(completion(of: first, .retrying, at: at(10), retryAt: at(100)))
        #expect(try await store.nextDueTime(queues: nil) == at(100))
        #expect(try await store.claim(now: at(99)).isEmpty, "not before retryAt")
        #expect(try await store.fetch(first.id).status == .retrying)
        let again = try await store.claim(now: at(100))
        #expect(again.map(\.id) == [first.id])
        #expect(again.first?.attemptCount == 2)
    }

    static func inapplicableCompletionDoesNotBlockBatch(_ store: any RunStore) async throws {
        try await store.insertDue(2)
        let runs = try await store.claim("w1", limit: 2)
        try #require(runs.count == 2)
        var wrongWorker = completion(of: runs[0], .completed, at: at(1))
        wrongWorker.guard = .worker("w2")
        var unknown = completion(of: runs[0], .completed, at: at(1))
        unknown.runID = "run_unknown"
        let valid = completion(of: runs[1], .completed, at: at(1))
        let results = try await store.completeAttempts([wrongWorker, unknown, valid])
        #expect(results.map { $0?.id } == [nil, nil, runs[1].id])
        #expect(try await store.fetch(runs[0].id).status == .executing, "another worker's completion does not apply")
    }

    static func staleAttemptIsRejected(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let first = try await store.claimOne(now: t0)
        try await store.complete(completion(of: first, .retrying, at: at(1), retryAt: at(2)))
        let second = try await store.claimOne(now: at(2))
        var stale = completion(of: second, .completed, at: at(3))
        stale.attempt = 1
        var future = stale
        future.attempt = 3
        #expect(try await store.completeAttempts([stale, future]) == [nil, nil], "only attempt 2 is current")
        #expect(try await store.fetch(first.id).status == .executing)
        #expect(try await store.complete(completion(of: second, .completed, at: at(3))).status == .completed)
    }

    static func executionTimeAccumulates(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let first = try await store.claimOne(now: t0)
        try await store.complete(completion(of: first, .retrying, at: at(2), retryAt: at(5), executionTime: .milliseconds(1500)))
        #expect(try await store.fetch(first.id).executionTime == .milliseconds(1500))
        let second = try await store.claimOne(now: at(5))
        let done = try await store.complete(completion(of: second, .completed, at: at(8), executionTime: .milliseconds(2250)))
        #expect(done.executionTime == .milliseconds(3750))
        #expect(try await store.fetch(first.id).executionTime == .milliseconds(3750))
    }

    static func progressIsRecordedWhileExecuting(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        #expect(try await store.updateProgress(runID: run.id, attempt: 1, message: "halfway", percent: 0.5, now: at(3)))
        let read = try await store.fetch(run.id)
        #expect(read.progressMessage == "halfway")
        #expect(read.progressPercent == 0.5)
        #expect(read.updatedAt == at(3))
        #expect(try await store.updateProgress(runID: run.id, attempt: 1, message: "almost", percent: 0.875, now: at(4)))
        try await store.complete(completion(of: run, .completed, at: at(5)))
        let done = try await store.fetch(run.id)
        #expect(done.progressMessage == "almost" && done.progressPercent == 0.875, "progress persists after completion")
    }

    static func progressIsRejectedWhenNotExecuting(_ store: any RunStore) async throws {
        let ids = try await store.insertDue(2)
        #expect(try await store.updateProgress(runID: ids[0], attempt: 0, message: "x", percent: 0.1, now: at(1)) == false, "queued")
        #expect(try await store.updateProgress(runID: "run_unknown", attempt: 1, message: "x", percent: 0.1, now: at(1)) == false, "unknown")
        let run = try await store.claimOne(now: t0)
        #expect(try await store.updateProgress(runID: run.id, attempt: 2, message: "x", percent: 0.1, now: at(1)) == false, "wrong attempt")
        try await store.complete(completion(of: run, .failed, at: at(2)))
        #expect(try await store.updateProgress(runID: run.id, attempt: 1, message: "x", percent: 0.1, now: at(3)) == false, "finished")
        let read = try await store.fetch(run.id)
        #expect(read.progressMessage == nil && read.progressPercent == nil, "rejected progress is not written")
    }

    private static func read(_ runs: [RunRecord], from store: any RunStore) async throws -> [RunRecord] {
        var records: [RunRecord] = []
        for run in runs { records.append(try await store.fetch(run.id)) }
        return records
    }
}
