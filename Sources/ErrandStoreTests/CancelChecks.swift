import Errand
import Foundation
import Testing

/// Canceling runs in each status.
enum CancelChecks {
    static func cancelQueuedRun(_ store: any RunStore) async throws {
        let id = try await store.insertDue(1)[0]
        try await Self.expectCanceledAtOnce(id, in: store)
    }

    static func cancelDelayedRun(_ store: any RunStore) async throws {
        let id = try await store.insert([makeRun(due: at(100))])[0]
        try await Self.expectCanceledAtOnce(id, in: store)
        #expect(try await store.nextDueTime(queues: nil) == nil, "a canceled run is no longer due")
    }

    static func cancelRetryingRun(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        try await store.complete(completion(of: run, .retrying, at: at(1), retryAt: at(5)))
        try await Self.expectCanceledAtOnce(run.id, in: store)
    }

    static func cancelWaitingRun(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        try await store.complete(completion(of: run, .waiting, at: at(1), retryAt: at(500)))
        #expect(try await store.fetch(run.id).status == .waiting)
        try await Self.expectCanceledAtOnce(run.id, in: store)
    }

    static func cancelExecutingRunIsRequested(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        guard case .requested(let record) = try await store.cancelRun(id: run.id, now: at(5)) else {
            Issue.record("canceling an executing run must return .requested")
            return
        }
        #expect(record.status == .executing && record.cancelRequestedAt == at(5))
        guard case .requested(let again) = try await store.cancelRun(id: run.id, now: at(6)) else {
            Issue.record("canceling again must return .requested")
            return
        }
        #expect(again.cancelRequestedAt == at(5), "the first request's time is kept")
        let beat = try await store.heartbeat(runs: [run.id], workerID: "w1", leaseUntil: at(60), now: at(7))
        #expect(beat == HeartbeatResult(lost: [], cancelRequested: [run.id]), "the worker learns of the request")
        let canceled = try await store.complete(completion(of: run, .canceled, at: at(8)))
        #expect(canceled.status == .canceled && canceled.canceledAt == at(8))
    }

    static func cancelFinishedRunChangesNothing(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        try await store.complete(completion(of: run, .completed, at: at(1), result: Data("true".utf8)))
        let before = try await store.fetch(run.id)
        guard case .alreadyFinal(let record) = try await store.cancelRun(id: run.id, now: at(5)) else {
            Issue.record("canceling a completed run must return .alreadyFinal")
            return
        }
        #expect(record.status == .completed && record.canceledAt == nil)
        #expect(try await store.fetch(run.id) == before, "nothing changed")
    }

    static func cancelUnknownRunIsNotFound(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        #expect(try await store.cancelRun(id: "run_unknown", now: t0) == .notFound)
    }

    /// Cancels a run that is not executing and checks it is canceled at once and never claimed.
    private static func expectCanceledAtOnce(_ id: RunID, in store: any RunStore, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await store.cancelRun(id: id, now: at(50))
        guard case .canceled(let record) = result else {
            Issue.record("expected .canceled, got \(result)", sourceLocation: sourceLocation)
            return
        }
        let read = try await store.fetch(id)
        for run in [record, read] {
            #expect(run.status == .canceled, sourceLocation: sourceLocation)
            #expect(run.canceledAt == at(50), sourceLocation: sourceLocation)
            #expect(run.updatedAt == at(50), sourceLocation: sourceLocation)
            #expect(run.error?.type == "canceled", sourceLocation: sourceLocation)
        }
        #expect(try await store.claim(now: at(1000)).isEmpty, "a canceled run is never claimed", sourceLocation: sourceLocation)
    }
}
