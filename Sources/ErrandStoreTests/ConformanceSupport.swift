import Errand
import Foundation
import Testing

// Shared fixtures of the conformance checks. Every check passes explicit times derived from `t0`
// (whole seconds, so any store's date precision round-trips them exactly); nothing sleeps.

/// The time every check starts at: 2026-01-01T00:00:00Z.
let t0 = Date(timeIntervalSince1970: 1_767_225_600)

/// `t0` plus some seconds.
func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

/// A JSON payload with a few non-ASCII bytes.
let samplePayload = Data(#"{"to":"zoë@example.com","n":[1,2,3]}"#.utf8)

/// A run to insert, with defaults for everything a check does not care about.
func makeRun(
    task: String = "task", queue: String = "q", key concurrencyKey: String? = nil, priority: Int = 0,
    tags: [String] = [], idempotencyKey: String? = nil, keyExpiresAt: Date? = nil, due: Date = t0,
    expiresAt: Date? = nil
) -> NewRun {
    NewRun(
        task: task, queue: queue, concurrencyKey: concurrencyKey, priority: priority, payload: Data("{}".utf8),
        tags: tags, idempotencyKey: idempotencyKey, idempotencyExpiresAt: keyExpiresAt, scheduledAt: due,
        expiresAt: expiresAt
    )
}

/// The outcome an attempt ends with for a run status.
func outcome(for status: RunStatus) -> AttemptOutcome {
    switch status {
    case .completed: .succeeded
    case .timedOut: .timedOut
    case .crashed: .crashed
    case .canceled: .canceled
    case .waiting: .suspended
    default: .failed
    }
}

/// A sample error of a failed attempt.
let sampleError = RunError(type: "runtime", name: "SampleError", message: "it broke", stack: "frame 1\nframe 2")

/// A completion of a claimed run's current attempt by the worker that holds it.
func completion(
    of run: RunRecord, _ status: RunStatus, at end: Date, retryAt: Date? = nil, result: Data? = nil,
    resultNote: String? = nil, error: RunError? = nil, executionTime: Duration = .zero
) -> AttemptCompletion {
    AttemptCompletion(
        runID: run.id, attempt: run.attemptCount, guard: .worker(run.workerID ?? "?"), endedAt: end,
        outcome: outcome(for: status), status: status, retryAt: retryAt, result: result, resultNote: resultNote,
        error: error ?? (status == .completed || status == .canceled ? nil : sampleError), executionTime: executionTime
    )
}

/// A rescuer's completion of a run whose lease lapsed before `before`.
func rescue(_ run: RunRecord, attempt: Int? = nil, before: Date, status: RunStatus = .crashed, retryAt: Date? = nil) -> AttemptCompletion {
    AttemptCompletion(
        runID: run.id, attempt: attempt ?? run.attemptCount, guard: .leaseExpired(before: before), endedAt: before,
        outcome: .crashed, status: status, retryAt: retryAt,
        error: RunError(type: "workerLost", name: "WorkerLost", message: "the worker stopped heartbeating")
    )
}

extension RunStore {
    /// Inserts runs at `now`, requiring that each one is created; returns their ids.
    @discardableResult
    func insert(_ runs: [NewRun], now: Date = t0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [RunID] {
        let results = try await insertRuns(runs, now: now)
        try #require(results.count == runs.count, "insertRuns returned \(results.count) results for \(runs.count) runs", sourceLocation: sourceLocation)
        for (run, result) in zip(runs, results) {
            #expect(result == InsertResult(id: run.id, created: true), "inserting \(run.id)", sourceLocation: sourceLocation)
        }
        return results.map(\.id)
    }

    /// Inserts `count` due runs into a queue.
    @discardableResult
    func insertDue(_ count: Int, queue: String = "q", now: Date = t0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [RunID] {
        try await insert((0..<count).map { _ in makeRun(queue: queue, due: now) }, now: now, sourceLocation: sourceLocation)
    }

    /// Claims runs with the lease lasting `lease` seconds from `now`.
    func claim(
        _ worker: String = "w1", queues: Set<String>? = nil, limit: Int = 100, now: Date = t0, lease: TimeInterval = 30
    ) async throws -> [RunRecord] {
        try await claimRuns(ClaimRequest(workerID: worker, queues: queues, limit: limit, now: now, leaseUntil: now.addingTimeInterval(lease)))
    }

    /// Claims exactly one run, requiring that there is one.
    func claimOne(
        _ worker: String = "w1", queues: Set<String>? = nil, now: Date = t0, lease: TimeInterval = 30,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RunRecord {
        let claimed = try await claim(worker, queues: queues, limit: 1, now: now, lease: lease)
        return try #require(claimed.first, "expected a claimable run at \(now)", sourceLocation: sourceLocation)
    }

    /// Writes one completion, requiring that it applies.
    @discardableResult
    func complete(_ completion: AttemptCompletion, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunRecord {
        let results = try await completeAttempts([completion])
        try #require(results.count == 1, "completeAttempts returned \(results.count) results for 1 completion", sourceLocation: sourceLocation)
        return try #require(results[0], "completion of \(completion.runID) attempt \(completion.attempt) did not apply", sourceLocation: sourceLocation)
    }

    /// Reads a run, requiring that it exists.
    func fetch(_ id: RunID, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunRecord {
        let record = try await run(id: id)
        return try #require(record, "run \(id) not found", sourceLocation: sourceLocation)
    }

    /// The ids of every run in a status (up to 1000).
    func ids(in statuses: Set<RunStatus>) async throws -> Set<RunID> {
        Set(try await listRuns(RunQuery(statuses: statuses, limit: 1000)).runs.map(\.id))
    }

    /// The state of one queue, requiring that it is listed.
    func queueState(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> QueueState {
        let states = try await queueStates()
        return try #require(states.first { $0.config.name == name }, "queue \(name) not in queueStates()", sourceLocation: sourceLocation)
    }
}
