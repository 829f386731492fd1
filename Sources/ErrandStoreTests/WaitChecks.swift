import Errand
import Foundation
import Testing

/// Parked (`waiting`) runs: when they are due, what their suspensions count.
enum WaitChecks {
    static func waitingRunParksUntilRetryAt(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0, lease: 1000)
        let parked = try await store.complete(park(run, at: at(10), until: at(100)))
        for record in [parked, try await store.fetch(run.id)] {
            #expect(record.status == .waiting)
            #expect(record.scheduledAt == at(100))
            #expect(record.suspensions == 1, "a suspension is counted")
            #expect(record.failedAttemptCount == 0, "a suspension is no failed attempt")
            #expect(record.workerID == nil && record.leaseExpiresAt == nil, "the worker slot is released")
            #expect(record.failedAt == nil && record.error == nil)
        }
        #expect(try await store.fetch(run.id).attempts.last?.outcome == .suspended)
        #expect(try await store.nextDueTime(queues: nil) == at(100))
        #expect(try await store.nextDueTime(queues: ["q"]) == at(100))
        #expect(try await store.nextDueTime(queues: ["other"]) == nil)
        #expect(try await store.claim(now: at(99)).isEmpty, "not before its wake-up time")
        #expect(try await store.fetch(run.id).status == .waiting)

        let resumed = try await store.claimOne(now: at(100))
        #expect(resumed.id == run.id)
        #expect(resumed.attemptCount == 2)
        #expect(resumed.suspensions == 1 && resumed.failedAttemptCount == 1)
        #expect(resumed.submittedAt == t0, "the first start is kept")
        let retrying = try await store.complete(completion(of: resumed, .retrying, at: at(101), retryAt: at(200)))
        #expect(retrying.suspensions == 1 && retrying.failedAttemptCount == 1, "a failure is no suspension")
        let third = try await store.claimOne(now: at(200))
        let parkedAgain = try await store.complete(park(third, at: at(201), until: at(300)))
        #expect(parkedAgain.suspensions == 2 && parkedAgain.attemptCount == 3 && parkedAgain.failedAttemptCount == 1)
        #expect(try await store.fetch(run.id).attempts.map(\.outcome) == [.suspended, .failed, .suspended])
    }

    static func waitingWithoutWakeTimeIsNeverDue(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        let parked = try await store.complete(park(run, at: at(10)))
        #expect(parked.status == .waiting)
        #expect(parked.scheduledAt == .distantFuture, "parked until woken")
        #expect(try await store.fetch(run.id).scheduledAt == .distantFuture)
        #expect(try await store.nextDueTime(queues: nil) == nil, "a run parked until woken is never due")
        #expect(try await store.nextDueTime(queues: ["q"]) == nil)
        let delayed = try await store.insert([makeRun(due: at(500))])
        #expect(try await store.nextDueTime(queues: nil) == at(500), "other parked runs still count")
        #expect(try await store.claim(now: at(10 * 365 * 86_400)).map(\.id) == delayed, "only the delayed run is ever claimed")
        #expect(try await store.fetch(run.id).status == .waiting)
        #expect(try await store.queueState("q").counts[.waiting] == 1)
    }

    static func waitingWakesWhenItsWaitTimeIsEarlierThanAnotherRun(_ store: any RunStore) async throws {
        try await store.insert([makeRun(due: at(300))])
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        try await store.complete(park(run, at: at(1), until: at(200)))
        #expect(try await store.nextDueTime(queues: nil) == at(200), "the earliest over delayed and waiting runs")
        let claimed = try await store.claim(now: at(250))
        #expect(claimed.map(\.id) == [run.id])
    }
}
