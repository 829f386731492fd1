import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Executing attempts")
struct WorkerTests {
    @Test func failedAttemptsRetryWithExponentialBackoffThenFail() async throws {
        let test = makeTestErrand()
        let calls = Recorder<Date>()
        let task = TaskDefinition<Greeting, Reply>("flaky", options: TaskOptions(retry: exactRetry)) { _, ctx in
            calls.append(ctx.calledAt)
            throw Boom()
        }
        try test.errand.register(task)
        try await test.start()
        let start = test.clock.now
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .failed)
        #expect(run.attemptCount == 3)
        #expect(calls.all == [start, start.addingTimeInterval(10), start.addingTimeInterval(30)])
        #expect(run.attempts.map(\.outcome) == [.failed, .failed, .failed])
        #expect(run.error?.name == "Boom")
        #expect(run.error?.message == "boom")
        #expect(run.failedAt == start.addingTimeInterval(30))
        await test.stop()
    }

    @Test func retryingRunSucceedsOnALaterAttempt() async throws {
        let test = makeTestErrand()
        let calls = Recorder<Int>()
        let task = TaskDefinition<Greeting, Reply>("second-time", options: TaskOptions(retry: exactRetry)) { _, ctx in
            calls.append(ctx.attempt)
            if ctx.attempt == 1 { throw Boom() }
            return Reply(text: "ok")
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        let retrying = try await test.runUntil(id) { $0.status == .retrying }
        #expect(retrying.error?.message == "boom")
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(calls.all == [1, 2])
        #expect(run.error == nil)
        await test.stop()
    }

    @Test func outcomesWrittenInParallelBatchesAreEachRecordedOnce() async throws {
        let test = TestErrand(worker: WorkerConfiguration(id: "writers", concurrency: 40, pollInterval: .seconds(3600), outcomeWriters: 3))
        let calls = Recorder<String>()
        let task = TaskDefinition<Greeting, Reply>("many") { payload, _ in
            calls.append(payload.name)
            return Reply(text: payload.name)
        }
        try test.errand.register(task)
        try await test.start()
        let ids = try await test.errand.batchTrigger(task, (0..<300).map { Greeting(name: "n\($0)") })
        for (index, id) in ids.enumerated() {
            let run = try await test.runUntilFinished(id)
            #expect(run.status == .completed && run.attemptCount == 1 && run.attempts.map(\.outcome) == [.succeeded])
            #expect(run.result == Data(#"{"text":"n\#(index)"}"#.utf8))
        }
        #expect(calls.count == 300 && Set(calls.all).count == 300, "each handler ran once")
        await test.stop()
    }

    /// Runs the same three runs through a worker of concurrency 1 whose store holds outcomes back,
    /// and returns which handlers started and the runs' statuses while it does.
    private func threeRunsWithOutcomesHeldBack(
        hooks: TaskHooks<Greeting, Reply> = TaskHooks()
    ) async throws -> (started: [String], statuses: [RunStatus], finished: [RunRecord]) {
        let gate = Gate()
        let test = TestErrand(store: RunOnlyStore(completionGate: gate), worker: WorkerConfiguration(id: "slots", concurrency: 1, pollInterval: .seconds(3600)))
        let started = Recorder<String>()
        let task = TaskDefinition<Greeting, Reply>("quick", hooks: hooks) { payload, _ in
            started.append(payload.name)
            return Reply(text: payload.name)
        }
        try test.errand.register(task)
        try await test.start()
        let ids = try await test.errand.batchTrigger(task, ["a", "b", "c"].map { Greeting(name: $0) })
        await test.settle()
        var statuses: [RunStatus] = []
        for id in ids { statuses.append(try #require(try await test.errand.state(id)).status) }
        let seen = started.all
        gate.open()
        var finished: [RunRecord] = []
        for id in ids { finished.append(try await test.runUntilFinished(id)) }
        await test.stop()
        return (seen, statuses, finished)
    }

    @Test func aReturnedHandlerGivesItsSlotBackWhileItsOutcomeWaitsToBeWritten() async throws {
        let (started, statuses, finished) = try await threeRunsWithOutcomesHeldBack()
        // "a" returned and gave its slot to "b"; "b" keeps its slot, as one outcome (the
        // concurrency) is already waiting, so "c" waits for the writes.
        #expect(started == ["a", "b"])
        #expect(statuses == [.executing, .executing, .queued], "a run waiting for its outcome to be written is still executing")
        #expect(finished.map(\.status) == [.completed, .completed, .completed])
        #expect(finished.allSatisfy { $0.attemptCount == 1 })
    }

    @Test func withAnOutcomeHookTheSlotIsHeldUntilTheHookRan() async throws {
        let hooked = Recorder<String>()
        var hooks = TaskHooks<Greeting, Reply>()
        hooks.onSuccess = { payload, _, _ in hooked.append(payload.name) }
        let (started, statuses, finished) = try await threeRunsWithOutcomesHeldBack(hooks: hooks)
        #expect(started == ["a"], "onSuccess runs in the slot, after the outcome is recorded")
        #expect(statuses == [.executing, .queued, .queued])
        #expect(finished.map(\.status) == [.completed, .completed, .completed])
        #expect(hooked.all == ["a", "b", "c"])
    }

    /// The store can give a run up while its attempt still runs in this worker (a rescue after
    /// the lease lapsed, or a claim lost with the database) and hand it back to the same worker.
    /// The earlier attempt is stopped as having lost its lease, the new one runs the run to its
    /// end, and the earlier attempt's slot is taken until its handler returns, then given back.
    @Test func aRunClaimedAgainWhileItsEarlierAttemptStillRunsHereStopsThatAttemptAndFreesItsSlotAfter() async throws {
        let test = makeTestErrand(concurrency: 2)
        let firstGate = Gate(), pairGate = Gate()
        let attempts = Recorder<Int>(), firstSawCancellation = Recorder<Bool>(), paired = Recorder<String>()
        let slow = TaskDefinition<Greeting, Reply>("slow", options: TaskOptions(timeout: .seconds(30 * 24 * 3600), retry: exactRetry)) { _, context in
            attempts.append(context.attempt)
            if context.attempt == 1 {
                await firstGate.wait()
                firstSawCancellation.append(Task.isCancelled)
            }
            return Reply(text: "attempt \(context.attempt)")
        }
        // Two runs of this task finish only when both run at once: both slots must be free.
        let pair = TaskDefinition<Greeting, Reply>("pair", options: TaskOptions(timeout: .seconds(30 * 24 * 3600))) { payload, _ in
            paired.append(payload.name)
            if paired.count == 2 { pairGate.open() }
            await pairGate.wait()
            return Reply(text: payload.name)
        }
        try test.errand.register(slow)
        try test.errand.register(pair)
        try await test.start()
        let id = try await test.errand.trigger(slow, Greeting(name: "x"))
        await test.settle()
        #expect(attempts.all == [1])

        let now = test.clock.now
        let givenUp = try await test.store.completeAttempts([AttemptCompletion(
            runID: id, attempt: 1, guard: .leaseExpired(before: now.addingTimeInterval(3600)), endedAt: now, outcome: .crashed,
            status: .retrying, retryAt: now, error: RunError(type: "workerLost", name: "WorkerLost", message: "the lease lapsed")
        )])
        #expect(givenUp.first??.status == .retrying)
        await test.advance(by: .seconds(1))
        let done = try await test.runUntilFinished(id)
        #expect(done.status == .completed)
        #expect(done.attempts.map(\.outcome) == [.crashed, .succeeded])
        #expect(attempts.all == [1, 2])

        firstGate.open()
        await test.settle()
        #expect(firstSawCancellation.all == [true], "the earlier attempt was stopped")
        #expect(try await test.errand.state(id)?.attempts.map(\.outcome) == [.crashed, .succeeded], "and recorded nothing")

        defer { pairGate.open() }
        let pairs = try await test.errand.batchTrigger(pair, [Greeting(name: "a"), Greeting(name: "b")])
        for run in pairs { #expect(try await test.runUntilFinished(run, within: .seconds(60)).status == .completed) }
        #expect(paired.count == 2, "both slots were free again")
        await test.stop()
    }

    @Test func stoppingWaitsForASupersededAttemptThatStillDecidesItsOutcome() async throws {
        // The earlier attempt's handler has returned, so interrupting it decides nothing; it is
        // still in handleError when the run, given up and claimed again, completes and the worker
        // stops. Stopping must wait for it and answer its late outcome (the store refuses it),
        // not leave it waiting for a writer that has gone.
        let test = makeTestErrand(concurrency: 2)
        let decideGate = Gate()
        var hooks = TaskHooks<Greeting, Reply>()
        hooks.handleError = { _, _, context in
            if context.attempt == 1 { await decideGate.wait() }
            return .fail
        }
        let task = TaskDefinition<Greeting, Reply>("decides-slowly", options: TaskOptions(retry: exactRetry), hooks: hooks) { _, context in
            if context.attempt == 1 { throw Boom() }
            return Reply(text: "second")
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        await test.settle()
        let now = test.clock.now
        _ = try await test.store.completeAttempts([AttemptCompletion(
            runID: id, attempt: 1, guard: .leaseExpired(before: now.addingTimeInterval(3600)), endedAt: now, outcome: .crashed,
            status: .retrying, retryAt: now, error: RunError(type: "workerLost", name: "WorkerLost", message: "the lease lapsed")
        )])
        await test.advance(by: .seconds(1))
        #expect(try await test.runUntilFinished(id).status == .completed)

        let stopped = Recorder<Bool>()
        Task {
            await test.stop()
            stopped.append(true)
        }
        await test.settle()
        decideGate.open()
        // Real time: a worker that never stops must fail the test, not hang it.
        for _ in 0..<3_000 where stopped.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(stopped.count == 1, "the worker stopped once the earlier attempt returned")
        #expect(try await test.errand.state(id)?.attempts.map(\.outcome) == [.crashed, .succeeded], "its late outcome changed nothing")
    }

    @Test func everyQueueAWorkerClaimsFromHasSettingsAndOnlyItsDeclaredOnesAreChanged() async throws {
        let store = MemoryRunStore()
        try await store.upsertQueues([QueueConfig(name: "shared", concurrency: 3)])
        try await store.setQueuePaused("shared", paused: true)
        let test = TestErrand(
            store: store, worker: WorkerConfiguration(id: "named", queues: ["limited", "shared", "elsewhere"], pollInterval: .seconds(3600))
        )
        try test.errand.register(TaskDefinition<Greeting, NoOutput>("limited", options: TaskOptions(queue: QueueOptions(name: "limited", concurrency: 2))) { _, _ in
            NoOutput()
        })
        try await test.start()
        let states = Dictionary(uniqueKeysWithValues: try await store.queueStates().map { ($0.config.name, $0) })
        #expect(states["limited"]?.config.concurrency == 2, "a declared queue gets its task's limit")
        #expect(states["shared"]?.config.concurrency == 3 && states["shared"]?.paused == true, "another process's settings are kept")
        #expect(states["elsewhere"] == QueueState(config: QueueConfig(name: "elsewhere"), paused: false, counts: [:]),
                "a queue only named in the configuration is created with no limit")
        await test.stop()
    }

    @Test func aWorkerNeedsAtLeastOneOutcomeWriter() {
        let error = #expect(throws: ErrandError.self) { try WorkerConfiguration(outcomeWriters: 0).validate() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("outcomeWriters"))
    }

    @Test func aWorkerRefusesAQueueNameNoTaskCouldHave() {
        for bad in ["", String(repeating: "q", count: 65), "tab\tname"] {
            let error = #expect(throws: ErrandError.self) { try WorkerConfiguration(queues: ["fine", bad]).validate() }
            #expect(error?.field == "queues", "\(bad)")
        }
    }

    @Test func nonRetryableErrorFailsAtOnce() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("fatal", options: TaskOptions(retry: exactRetry)) { _, _ in throw Fatal() }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .failed)
        #expect(run.attemptCount == 1)
        await test.stop()
    }

    @Test func handleErrorCanRetryAtAGivenTimeFailOrSucceed() async throws {
        let test = makeTestErrand()
        let retryAt = test.clock.now.addingTimeInterval(500)
        var hooks = TaskHooks<Greeting, Reply>()
        hooks.handleError = { payload, _, ctx in
            switch payload.name {
            case "later": ctx.attempt == 1 ? .retry(at: retryAt) : .fail
            case "fail": .fail
            default: .succeed(result: Data(#"{"text":"rescued"}"#.utf8))
            }
        }
        let task = TaskDefinition<Greeting, Reply>("decided", options: TaskOptions(retry: exactRetry), hooks: hooks) { _, _ in throw Boom() }
        try test.errand.register(task)
        try await test.start()
        let later = try await test.errand.trigger(task, Greeting(name: "later"))
        let fail = try await test.errand.trigger(task, Greeting(name: "fail"))
        let succeed = try await test.errand.trigger(task, Greeting(name: "succeed"))
        let laterRun = try await test.runUntilFinished(later)
        #expect(laterRun.attempts.map(\.startedAt).last == retryAt)
        #expect(laterRun.status == .failed)
        #expect(try await test.runUntilFinished(fail).attemptCount == 1)
        let succeeded = try await test.runUntilFinished(succeed)
        #expect(succeeded.status == .completed)
        #expect(succeeded.result == Data(#"{"text":"rescued"}"#.utf8))
        await test.stop()
    }

    @Test func attemptThatExceedsItsTimeoutIsTimedOutAndRetried() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("slow", options: TaskOptions(timeout: .seconds(30), retry: RetryPolicy(maxAttempts: 2, minDelay: .seconds(5), jitter: 0))) { _, ctx in
            try await ctx.clock.sleep(for: .seconds(3600))
            return Reply(text: "late")
        }
        try test.errand.register(task)
        try await test.start()
        let start = test.clock.now
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .timedOut)
        #expect(run.attempts.map(\.outcome) == [.timedOut, .timedOut])
        #expect(run.attempts.first?.endedAt == start.addingTimeInterval(30))
        #expect(run.attempts.last?.startedAt == start.addingTimeInterval(35))
        #expect(run.error?.type == "timeout")
        #expect(run.error?.message.contains("timeout of 30 s") == true)
        await test.stop()
    }

    @Test func setTimeoutExtendsTheAttempt() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("extends", options: TaskOptions(timeout: .seconds(10), retry: .none)) { _, ctx in
            try ctx.setTimeout(.seconds(120))
            try await ctx.clock.sleep(for: .seconds(60))
            return Reply(text: "done")
        }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .completed)
        await test.stop()
    }

    @Test func setTimeoutCanShortenTheAttempt() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("shortens", options: TaskOptions(timeout: .seconds(100), retry: .none)) { _, ctx in
            try ctx.setTimeout(.seconds(5))
            try await ctx.clock.sleep(for: .seconds(60))
            return Reply(text: "done")
        }
        try test.errand.register(task)
        try await test.start()
        let start = test.clock.now
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .timedOut)
        #expect(run.failedAt == start.addingTimeInterval(5))
        await test.stop()
    }

    @Test func maxDurationEndsTheRunWithoutRetry() async throws {
        let test = makeTestErrand()
        let options = TaskOptions(timeout: .seconds(100), maxDuration: .seconds(50), retry: RetryPolicy(maxAttempts: 5, minDelay: .seconds(1), jitter: 0))
        let task = TaskDefinition<Greeting, Reply>("bounded", options: options) { _, ctx in
            try await ctx.clock.sleep(for: .seconds(30))
            if ctx.attempt == 1 { throw Boom() }
            try await ctx.clock.sleep(for: .seconds(60))
            return Reply(text: "never")
        }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .timedOut)
        #expect(run.attemptCount == 2)
        #expect(run.error?.type == "maxDuration")
        #expect(run.executionTime == .seconds(50))
        await test.stop()
    }

    @Test func progressIsPersistedAndValidated() async throws {
        let test = makeTestErrand()
        let rejected = Recorder<ErrandError>()
        let task = TaskDefinition<Greeting, NoOutput>("progress", options: TaskOptions(retry: .none)) { _, ctx in
            try await ctx.progress("half-way", percent: 0.5)
            do {
                try await ctx.progress("too far", percent: 1.5)
            } catch let error as ErrandError {
                rejected.append(error)
            }
            return NoOutput()
        }
        try test.errand.register(task)
        let events = test.errand.events()
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        let run = try await test.runUntilFinished(id)
        #expect(run.progressMessage == "half-way")
        #expect(run.progressPercent == 0.5)
        #expect(rejected.all.first?.field == "percent")
        #expect(rejected.all.first?.message.contains("between 0 and 1") == true)
        var kinds: [RunEvent.Kind] = []
        for await event in events where event.runID == id {
            kinds.append(event.kind)
            if event.status.isFinal { break }
        }
        #expect(kinds == [.triggered, .started, .progress, .completed])
        await test.stop()
    }

    @Test func resultLargerThan64KBIsNotStoredAndTheRunSaysWhy() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("big-result", options: TaskOptions(retry: .none)) { _, _ in
            Reply(text: String(repeating: "r", count: 70_000))
        }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .completed)
        #expect(run.result == nil)
        #expect(run.resultNote?.contains("larger than the 65536-byte (64 KB) limit") == true)
        await test.stop()
    }

    @Test func failedEventCarriesErrorTypeNameAndMessage() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("fails", options: TaskOptions(retry: .none)) { _, _ in throw Boom(reason: "bad input") }
        try test.errand.register(task)
        let events = test.errand.events()
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        try await test.runUntilFinished(id)
        var failed: RunEvent?
        for await event in events where event.runID == id && event.kind == .failed {
            failed = event
            break
        }
        #expect(failed?.error == RunError(type: "runtime", name: "Boom", message: "bad input"))
        await test.stop()
    }

    @Test func queueConcurrencyLimitHoldsAcrossRuns() async throws {
        let test = makeTestErrand(concurrency: 10)
        let running = RunningCounter()
        let task = TaskDefinition<Greeting, NoOutput>("limited", options: TaskOptions(queue: QueueOptions(name: "limited", concurrency: 2))) { _, ctx in
            running.enter()
            try await ctx.clock.sleep(for: .seconds(10))
            running.leave()
            return NoOutput()
        }
        try test.errand.register(task)
        try await test.start()
        let ids = try await test.errand.batchTrigger(task, (0..<6).map { Greeting(name: "\($0)") })
        for id in ids { try await test.runUntilFinished(id) }
        #expect(running.peak == 2)
        await test.stop()
    }
}

extension WorkerTests {
    /// An idle worker whose last claim left nothing behind does not claim again when its attempt
    /// ends: a run costs the claim its trigger prompted, no more.
    @Test func anAttemptThatEndsWithNothingElseDueCostsNoClaim() async throws {
        let store = RunOnlyStore()
        let test = TestErrand(store: store, worker: WorkerConfiguration(id: "test-worker", pollInterval: .seconds(3600)))
        let task = greetTask()
        try test.errand.register(task)
        try await test.start()
        let first = try await test.errand.trigger(task, Greeting(name: "a"))
        #expect(try await test.runUntilFinished(first).status == .completed)
        await test.settle()
        let before = store.claims
        let start = test.clock.now
        for name in ["b", "c", "d"] {
            let id = try await test.errand.trigger(task, Greeting(name: name))
            #expect(try await test.runUntilFinished(id).status == .completed)
            await test.settle()
        }
        #expect(store.claims - before == 3, "one claim per trigger, none when an attempt ends")
        #expect(test.clock.now == start, "no time had to pass")
        await test.stop()
    }

    /// A claim on a limited queue may leave runs behind, so the worker claims again when an
    /// attempt ends, at once (without waiting for its poll), and a retry that an ending attempt
    /// schedules is claimed when it is due.
    @Test func afterAHeldBackClaimOrARetryAnEndingAttemptPromptsAClaim() async throws {
        let store = RunOnlyStore()
        let test = TestErrand(store: store, worker: WorkerConfiguration(id: "test-worker", pollInterval: .seconds(3600)))
        let limited = TaskDefinition<Greeting, NoOutput>("one-at-a-time", options: TaskOptions(queue: QueueOptions(name: "single", concurrency: 1))) { _, _ in
            NoOutput()
        }
        let attempts = Recorder<Int>()
        let flaky = TaskDefinition<Greeting, NoOutput>("flaky", options: TaskOptions(retry: RetryPolicy(maxAttempts: 2, factor: 1, minDelay: .seconds(5), maxDelay: .seconds(5), jitter: 0))) { _, context in
            attempts.append(context.attempt)
            if context.attempt == 1 { throw ErrandError(code: .invalidState, message: "first attempt fails") }
            return NoOutput()
        }
        try test.errand.register(limited)
        try test.errand.register(flaky)
        try await test.start()
        let start = test.clock.now
        let ids = try await test.errand.batchTrigger(limited, (0..<3).map { Greeting(name: "\($0)") })
        for id in ids { #expect(try await test.runUntilFinished(id).status == .completed) }
        #expect(test.clock.now == start, "each run of the limited queue was claimed when the one before it ended")
        let retried = try await test.errand.trigger(flaky, Greeting(name: "x"))
        #expect(try await test.runUntilFinished(retried).status == .completed)
        #expect(attempts.all == [1, 2])
        #expect(test.clock.now.timeIntervalSince(start) < 60, "the retry was claimed when due (5 s), not at the next poll (1 h)")
        await test.stop()
    }

    /// Resuming a queue through the engine wakes its idle workers: the queue's runs are claimed
    /// at once, not at the next poll.
    @Test func resumingAQueueWakesItsWorkers() async throws {
        let test = makeTestErrand()
        let task = greetTask()
        try test.errand.register(task)
        try await test.start()
        try await test.errand.setQueuePaused("greet", paused: true)
        let id = try await test.errand.trigger(task, Greeting(name: "later"))
        await test.settle()
        #expect(try await test.store.run(id: id)?.status == .queued, "the queue is paused")
        let start = test.clock.now
        try await test.errand.setQueuePaused("greet", paused: false)
        #expect(try await test.runUntilFinished(id).status == .completed)
        #expect(test.clock.now == start, "claimed when resumed, not at the next poll (1 h)")
        await test.stop()
    }
}

/// Counts concurrently running handlers and remembers the peak.
final class RunningCounter: Sendable {
    private let state = Mutex((current: 0, peak: 0))
    func enter() { state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) } }
    func leave() { state.withLock { $0.current -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

import Synchronization
