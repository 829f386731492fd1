import Errand
import Foundation
import Testing

/// Durable steps: fenced writes, order, replacement by key, where they are read.
enum StepChecks {
    static func saveStepIsFencedByAttempt(_ store: any RunStore) async throws {
        let queued = try await store.insert([makeRun(queue: "idle")])[0]
        #expect(try await store.saveStep(makeStep("a", attempt: 0), runID: queued, attempt: 0) == false, "a queued run executes no attempt")
        #expect(try await store.saveStep(makeStep("a"), runID: "run_unknown", attempt: 1) == false, "unknown run")
        try await store.insertDue(1)
        let run = try await store.claimOne(queues: ["q"], now: t0)
        #expect(try await store.saveStep(makeStep("a"), runID: run.id, attempt: 1))
        #expect(try await store.saveStep(makeStep("b", attempt: 2), runID: run.id, attempt: 2) == false, "not the executing attempt")
        #expect(try await store.saveStep(makeStep("b", attempt: 0), runID: run.id, attempt: 0) == false, "an attempt of the past")
        try await store.complete(completion(of: run, .retrying, at: at(2), retryAt: at(5)))
        #expect(try await store.saveStep(makeStep("b"), runID: run.id, attempt: 1) == false, "the attempt ended")
        let second = try await store.claimOne(queues: ["q"], now: at(5))
        #expect(try await store.saveStep(makeStep("b"), runID: run.id, attempt: 1) == false, "a stale attempt")
        #expect(try await store.saveStep(makeStep("b", attempt: 2), runID: second.id, attempt: 2))
        #expect(try await store.steps(runID: run.id).map(\.key) == ["a", "b"], "only the fenced writes were recorded")
        #expect(try await store.steps(runID: queued).isEmpty)
        #expect(try await store.steps(runID: "run_unknown").isEmpty)
    }

    static func stepsKeepOrderAndReplaceByKey(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0)
        let failure = RunError(type: "runtime", name: "StepError", message: "step broke ü", stack: nil)
        let steps = [
            StepRecord(key: "fetch", status: .completed, attempts: 2, startedAt: at(1), endedAt: at(2), output: Data(#"{"n":"zoë"}"#.utf8), attempt: 1),
            StepRecord(key: "fetch/inner", status: .failed, attempts: 3, startedAt: at(2), endedAt: at(3), error: failure, attempt: 1),
            StepRecord(key: "nap", kind: .wait, status: .waiting, startedAt: at(3), wakeAt: at(3600), attempt: 1),
            StepRecord(key: "kids", kind: .child, status: .waiting, startedAt: at(4), childIDs: ["run_a", "run_b"], attempt: 1),
            StepRecord(key: "approve", kind: .token, status: .waiting, startedAt: at(5), wakeAt: at(90), tokenID: "tok_1", attempt: 1),
            StepRecord(key: "empty", status: .completed, startedAt: at(6), endedAt: at(6), output: Data(), attempt: 1),
        ]
        for step in steps { #expect(try await store.saveStep(step, runID: run.id, attempt: 1)) }
        #expect(try await store.steps(runID: run.id) == steps, "every field round-trips, in the order recorded")

        var retried = steps[1]
        retried.status = .completed
        retried.attempts = 4
        retried.output = Data("[true]".utf8)
        retried.error = nil
        retried.endedAt = at(8)
        #expect(try await store.saveStep(retried, runID: run.id, attempt: 1))
        var expected = steps
        expected[1] = retried
        #expect(try await store.steps(runID: run.id) == expected, "a step saved again is replaced in place")
        #expect(try await store.fetch(run.id).steps == expected)
    }

    static func stepsAreReadWithRunNotInListings(_ store: any RunStore) async throws {
        try await store.insertDue(2)
        let runs = try await store.claim(limit: 2)
        try #require(runs.count == 2)
        #expect(runs.allSatisfy { $0.steps.isEmpty }, "claims return no steps")
        for key in ["one", "two"] { #expect(try await store.saveStep(makeStep(key), runID: runs[0].id, attempt: 1)) }
        #expect(try await store.saveStep(makeStep("other"), runID: runs[1].id, attempt: 1))
        #expect(try await store.fetch(runs[0].id).steps.map(\.key) == ["one", "two"], "run(id:) fills the steps")
        #expect(try await store.fetch(runs[1].id).steps.map(\.key) == ["other"], "each run has its own steps")
        let listed = try await store.listRuns(RunQuery()).runs
        #expect(listed.count == 2)
        #expect(listed.allSatisfy { $0.steps.isEmpty }, "listings leave steps empty")
        let done = try await store.complete(completion(of: runs[0], .completed, at: at(3)))
        #expect(done.steps.isEmpty, "completions return no steps")
        #expect(try await store.fetch(runs[0].id).steps.count == 2, "steps outlive the attempt")
    }

    static func depthAndAwaitedRoundTrip(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        #expect(parent.depth == 0 && parent.awaited == false && parent.suspensions == 0)
        let ids = try await store.insertChildren(of: parent, awaited: [true, false])
        for (id, awaited) in zip(ids, [true, false]) {
            let child = try await store.fetch(id)
            #expect(child.parentID == parent.id)
            #expect(child.depth == 1)
            #expect(child.awaited == awaited)
            #expect(child.suspensions == 0)
        }
        let claimed = try await store.claimChildren(now: at(1))
        #expect(Set(claimed.map(\.id)) == Set(ids))
        #expect(claimed.allSatisfy { $0.depth == 1 && $0.parentID == parent.id }, "claims carry depth and parent")
        let listed = try await store.listRuns(RunQuery(parentID: parent.id)).runs
        #expect(listed.map(\.awaited) == [false, true], "listings carry awaited")
    }

    static func filtersByParent(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        let other = try await store.claimedParent()
        let children = try await store.insertChildren(of: parent, awaited: [true, false, true])
        try await store.insertChildren(of: other, awaited: [true])
        let page = try await store.listRuns(RunQuery(parentID: parent.id))
        #expect(page.runs.map(\.id) == children.reversed(), "only the parent's children, newest first")
        let first = try await store.listRuns(RunQuery(limit: 2, parentID: parent.id))
        #expect(first.runs.map(\.id) == [children[2], children[1]])
        let second = try await store.listRuns(RunQuery(limit: 2, cursor: first.nextCursor, parentID: parent.id))
        #expect(second.runs.map(\.id) == [children[0]] && second.nextCursor == nil)
        #expect(try await store.listRuns(RunQuery(task: "task", parentID: parent.id)).runs.isEmpty, "filters combine")
        #expect(try await store.listRuns(RunQuery(parentID: children[0])).runs.isEmpty)
    }
}
