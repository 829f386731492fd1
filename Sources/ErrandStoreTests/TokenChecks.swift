import Errand
import Foundation
import Testing

/// Wait tokens: idempotent creation, resolution, the wake-up of the run waiting on one.
enum TokenChecks {
    static func makeToken(run: RunID? = nil, key: String? = nil, createdAt: Date = at(1), expiresAt: Date? = nil) -> WaitToken {
        WaitToken(id: WaitToken.generateID(), runID: run, idempotencyKey: key, status: .pending, createdAt: createdAt, expiresAt: expiresAt)
    }

    static func createTokenIsIdempotentByKey(_ store: any RunStore) async throws {
        let first = makeToken(key: "approve-42", expiresAt: at(3600))
        #expect(try await store.createToken(first) == first)
        #expect(try await store.token(id: first.id) == first, "every field round-trips")
        let again = makeToken(key: "approve-42", createdAt: at(9))
        #expect(try await store.createToken(again) == first, "the same key returns the first token")
        #expect(try await store.token(id: again.id) == nil, "the second is not stored")
        let a = makeToken(), b = makeToken()
        #expect(try await store.createToken(a) == a)
        #expect(try await store.createToken(b) == b, "tokens without a key are all stored")
        #expect(try await store.token(id: a.id) == a)
        #expect(try await store.token(id: b.id) == b)
        #expect(try await store.token(id: "tok_unknown") == nil)
    }

    static func concurrentTokensWithOneKey(_ store: any RunStore) async throws {
        let tokens = try await withThrowingTaskGroup(of: WaitToken.self) { group in
            for _ in 0..<30 {
                group.addTask { try await store.createToken(makeToken(key: "once")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(tokens.count == 30)
        #expect(Set(tokens.map(\.id)).count == 1, "every caller gets the one token")
        #expect(try await store.token(id: tokens[0].id) == tokens[0])
    }

    static func completingTokenWakesItsRun(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        let token = try await store.createToken(makeToken(run: run.id, expiresAt: at(3600)))
        let parked = try await store.complete(park(run, at: at(2), until: at(3600), for: .token(token.id)))
        #expect(parked.scheduledAt == at(3600), "pending: parked until the timeout")
        let value = Data(#"{"approved":true,"by":"zoë"}"#.utf8)
        guard case .resolved(let resolved) = try await store.resolveToken(id: token.id, resolution: .complete(value), now: at(20)) else {
            Issue.record("a pending token resolves")
            return
        }
        #expect(resolved.status == .completed && resolved.value == value && resolved.resolvedAt == at(20))
        #expect(resolved.id == token.id && resolved.runID == run.id && resolved.createdAt == token.createdAt)
        #expect(try await store.token(id: token.id) == resolved, "the value is stored")
        let woken = try await store.fetch(run.id)
        #expect(woken.status == .waiting && woken.scheduledAt == at(20) && woken.updatedAt == at(20), "its run is due at once")
        #expect(try await store.claimOne(now: at(20)).id == run.id)
    }

    /// A token made outside any run (or by another run) wakes the runs waiting on it: the runs
    /// with a `waiting` step for it. A run waiting on another token, and a run whose step for
    /// it is done, stay parked.
    static func completingATokenWakesEveryRunWaitingOnIt(_ store: any RunStore) async throws {
        try await store.insertDue(4)
        let runs = try await store.claim(limit: 4)
        try #require(runs.count == 4)
        let shared = try await store.createToken(makeToken(expiresAt: at(3600)))
        let other = try await store.createToken(makeToken(run: runs[3].id))
        func wait(_ run: RunRecord, on token: WaitToken, status: StepStatus = .waiting) async throws {
            let step = StepRecord(key: "wait-\(token.id)", kind: .token, status: status, startedAt: at(1), tokenID: token.id, attempt: 1)
            #expect(try await store.saveStep(step, runID: run.id, attempt: 1))
        }
        try await wait(runs[0], on: shared)
        try await wait(runs[1], on: shared)
        try await wait(runs[2], on: shared, status: .completed)
        try await wait(runs[3], on: other)
        for run in runs {
            let parked = try await store.complete(park(run, at: at(2), for: .token(run.id == runs[3].id ? other.id : shared.id)))
            #expect(parked.status == .waiting && parked.scheduledAt == .distantFuture)
        }
        guard case .resolved = try await store.resolveToken(id: shared.id, resolution: .complete(Data("true".utf8)), now: at(20)) else {
            Issue.record("a pending token resolves")
            return
        }
        for run in runs[0...1] {
            let woken = try await store.fetch(run.id)
            #expect(woken.scheduledAt == at(20) && woken.updatedAt == at(20), "a run waiting on the token is due at once")
        }
        #expect(try await store.fetch(runs[2].id).scheduledAt == .distantFuture, "a run whose wait on it is over stays parked")
        #expect(try await store.fetch(runs[3].id).scheduledAt == .distantFuture, "a run waiting on another token stays parked")
        #expect(Set(try await store.claim(limit: 4, now: at(20)).map(\.id)) == Set([runs[0].id, runs[1].id]))
    }

    /// A run records its wait on a token no run owns and parks on it while the token is
    /// resolved, at the same moment, many times over: whichever commits first, the run ends up
    /// due (parked with its target met, or woken), never parked for good.
    static func parkingOnATokenWhileItIsResolvedNeverLosesTheWake(_ store: any RunStore) async throws {
        let rounds = 60
        try await store.insertDue(rounds)
        let runs = try await store.claim(limit: rounds)
        try #require(runs.count == rounds)
        for run in runs {
            let token = try await store.createToken(makeToken())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let step = StepRecord(key: "wait-\(token.id)", kind: .token, status: .waiting, startedAt: at(1), tokenID: token.id, attempt: 1)
                    #expect(try await store.saveStep(step, runID: run.id, attempt: 1))
                    _ = try await store.completeAttempts([park(run, at: at(2), for: .token(token.id))])
                }
                group.addTask { _ = try await store.resolveToken(id: token.id, resolution: .complete(Data("1".utf8)), now: at(3)) }
                try await group.waitForAll()
            }
            let parked = try await store.fetch(run.id)
            #expect(parked.status == .waiting && parked.scheduledAt <= at(3), "the run is due, not parked for good")
        }
    }

    static func resolvingTwiceOrUnknownChangesNothing(_ store: any RunStore) async throws {
        let token = try await store.createToken(makeToken())
        guard case .resolved(let first) = try await store.resolveToken(id: token.id, resolution: .complete(Data("1".utf8)), now: at(5)) else {
            Issue.record("a pending token resolves")
            return
        }
        #expect(try await store.resolveToken(id: token.id, resolution: .complete(Data("2".utf8)), now: at(6)) == .alreadyResolved(first))
        #expect(try await store.resolveToken(id: token.id, resolution: .timeOut, now: at(7)) == .alreadyResolved(first))
        #expect(try await store.token(id: token.id) == first, "the first resolution stands")
        #expect(try await store.resolveToken(id: "tok_unknown", resolution: .timeOut, now: at(8)) == .notFound)
    }

    static func timingOutTokenWakesItsRun(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        let token = try await store.createToken(makeToken(run: run.id, expiresAt: at(60)))
        try await store.complete(park(run, at: at(2), for: .token(token.id)))
        #expect(try await store.fetch(run.id).scheduledAt == .distantFuture)
        guard case .resolved(let timedOut) = try await store.resolveToken(id: token.id, resolution: .timeOut, now: at(61)) else {
            Issue.record("a pending token times out")
            return
        }
        #expect(timedOut.status == .timedOut && timedOut.value == nil && timedOut.resolvedAt == at(61))
        #expect(try await store.fetch(run.id).scheduledAt == at(61))
    }

    static func waitingForResolvedTokenIsDueAtOnce(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        let token = try await store.createToken(makeToken(run: run.id))
        _ = try await store.resolveToken(id: token.id, resolution: .complete(Data("null".utf8)), now: at(3))
        #expect(try await store.fetch(run.id).scheduledAt == t0, "an executing run is not woken")
        let parked = try await store.complete(park(run, at: at(4), for: .token(token.id)))
        #expect(parked.scheduledAt == at(4), "completed before the run parked: due at once")
    }

    static func pruneRemovesStepsAndTokens(_ store: any RunStore) async throws {
        try await store.insertDue(2)
        let runs = try await store.claim(limit: 2)
        try #require(runs.count == 2)
        for run in runs { #expect(try await store.saveStep(makeStep("s"), runID: run.id, attempt: 1)) }
        let pruned = try await store.createToken(makeToken(run: runs[0].id, key: "k0"))
        let kept = try await store.createToken(makeToken(run: runs[1].id, key: "k1"))
        let loose = try await store.createToken(makeToken(key: "loose"))
        try await store.complete(completion(of: runs[0], .completed, at: at(10)))
        try await store.complete(completion(of: runs[1], .completed, at: at(50)))
        #expect(try await store.pruneRuns(finishedBefore: [.completed: at(20)], limit: 10) == 1)
        #expect(try await store.steps(runID: runs[0].id).isEmpty, "the pruned run's steps are deleted")
        #expect(try await store.token(id: pruned.id) == nil, "the pruned run's tokens are deleted")
        #expect(try await store.steps(runID: runs[1].id).count == 1)
        #expect(try await store.token(id: kept.id) == kept)
        #expect(try await store.token(id: loose.id) == loose, "a token of no run is kept")
        let fresh = makeToken(key: "k0")
        #expect(try await store.createToken(fresh) == fresh, "the pruned token's key is free again")
    }
}
