import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Canceling runs")
struct CancelTests {
    @Test func cancelingAQueuedOrDelayedRunIsImmediate() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let queued = try await errand.trigger(greetTask(), Greeting(name: "q"))
        let delayed = try await errand.trigger(greetTask(), Greeting(name: "d"), options: .init(after: .milliseconds(60_000)))
        for id in [queued, delayed] {
            let record = try await errand.cancel(id)
            #expect(record.status == .canceled)
            #expect(record.canceledAt != nil)
        }
    }

    @Test func cancelingAnExecutingRunCancelsItsHandler() async throws {
        let test = makeTestErrand()
        let sawCancellation = Recorder<Bool>()
        let task = TaskDefinition<Greeting, NoOutput>("long", options: TaskOptions(timeout: .seconds(3600), retry: exactRetry)) { _, ctx in
            do {
                try await ctx.clock.sleep(for: .seconds(600))
            } catch is CancellationError {
                sawCancellation.append(true)
                throw CancellationError()
            }
            return NoOutput()
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        try await test.runUntil(id) { $0.status == .executing }
        let requested = try await test.errand.cancel(id)
        #expect(requested.cancelRequestedAt != nil)
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .canceled)
        #expect(run.attempts.last?.outcome == .canceled)
        #expect(sawCancellation.all == [true])
        await test.stop()
    }

    @Test func cancelingARetryingRunStopsTheRetries() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("flaky-cancel", options: TaskOptions(retry: exactRetry)) { _, _ in throw Boom() }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        try await test.runUntil(id) { $0.status == .retrying }
        #expect(try await test.errand.cancel(id).status == .canceled)
        await test.advance(by: .seconds(120))
        #expect(try await test.errand.state(id)?.attemptCount == 1)
        await test.stop()
    }

    @Test func cancelingAFinishedRunChangesNothing() async throws {
        let test = makeTestErrand()
        try test.errand.register(greetTask())
        try await test.start()
        let id = try await test.errand.trigger(greetTask(), Greeting(name: "x"))
        try await test.runUntilFinished(id)
        #expect(try await test.errand.cancel(id).status == .completed)
        await test.stop()
    }

    @Test func cancelingAnUnknownRunIsAnErrorNamingTheID() async throws {
        let errand = Errand(store: MemoryRunStore())
        let error = await #expect(throws: ErrandError.self) { try await errand.cancel(RunID("run_missing")) }
        #expect(error?.code == .runNotFound)
        #expect(error?.message.contains("run_missing") == true)
    }

    @Test func replayCreatesALinkedRunWithTheSameOrANewPayload() async throws {
        let test = makeTestErrand()
        try test.errand.register(greetTask())
        try await test.start()
        let original = try await test.errand.trigger(greetTask(), Greeting(name: "a"), options: .init(tags: ["t"]))
        try await test.runUntilFinished(original)
        let same = try await test.errand.replay(original)
        let changed = try await test.errand.replay(original, payload: Data(#"{"name":"b"}"#.utf8))
        let sameRun = try await test.runUntilFinished(same)
        let changedRun = try await test.runUntilFinished(changed)
        #expect(sameRun.replayOf == original)
        #expect(sameRun.tags == ["t"])
        #expect(sameRun.result == Data(#"{"text":"hello a"}"#.utf8))
        #expect(changedRun.result == Data(#"{"text":"hello b"}"#.utf8))
        await test.stop()
    }

    @Test func aBulkReplayWithARunThatCannotBeReplayedStoresNothingAndNamesThatRun() async throws {
        let store = MemoryRunStore()
        let before = Errand(store: store)
        let greet = greetTask()
        let other = TaskDefinition<Greeting, Reply>("retired") { payload, _ in Reply(text: payload.name) }
        try before.register(greet)
        try before.register(other)
        let retired = try await before.trigger(other, Greeting(name: "old"), options: .init(tags: ["bulk"]))
        let kept = try await before.batchTrigger(greet, (0..<600).map { Greeting(name: "\($0)") }, options: .init(tags: ["bulk"]))
        #expect(kept.count == 600)

        // A later deploy no longer has the task "retired": the oldest run cannot be replayed.
        let after = Errand(store: store)
        try after.register(greet)
        func stored() async throws -> Int {
            var count = 0, cursor: String?
            repeat {
                let page = try await after.runs(RunQuery(limit: 1000, cursor: cursor))
                count += page.runs.count
                cursor = page.nextCursor
            } while cursor != nil
            return count
        }
        let error = await #expect(throws: ErrandError.self) { try await after.replayRuns(matching: RunQuery(tag: "bulk")) }
        #expect(error?.code == .unknownTask)
        #expect(error?.message.contains("cannot replay run \(retired)") == true, "\(String(describing: error))")
        #expect(try await stored() == 601, "nothing was replayed, not even the runs of the first pages")

        let replayed = try await after.replayRuns(matching: RunQuery(task: "greet", tag: "bulk"))
        #expect(replayed.count == 600)
        #expect(try await stored() == 1_201)
    }
}
