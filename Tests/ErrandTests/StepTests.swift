import Errand
import ErrandTesting
import Foundation
import Synchronization
import Testing

/// A counter of side effects, shared by handler closures.
final class Counter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func hit(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    func count(_ name: String) -> Int { counts.withLock { $0[name] ?? 0 } }
}

struct Depth: Codable, Sendable, Hashable {
    var level: Int
    var limit: Int
}

@Suite("Durable steps, waits, child runs and tokens")
struct StepTests {
    @Test func completedStepsAreNotRunAgainWhenTheRunIsRetried() async throws {
        let test = makeTestErrand()
        let effects = Counter()
        let task = TaskDefinition<Greeting, Reply>("three-steps", options: TaskOptions(retry: exactRetry)) { payload, ctx in
            let first: String = try await ctx.step("one") {
                effects.hit("one")
                return "1"
            }
            let second: String = try await ctx.step("two") {
                effects.hit("two")
                if effects.count("two") == 1 { throw Boom(reason: "step two fails once") }
                return "2"
            }
            let third: String = try await ctx.step("three") {
                effects.hit("three")
                return "3"
            }
            return Reply(text: first + second + third + payload.name)
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "!"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(run.attemptCount == 2)
        #expect(effects.count("one") == 1)
        #expect(effects.count("two") == 2)
        #expect(effects.count("three") == 1)
        #expect(try JSONDecoder().decode(Reply.self, from: run.result ?? Data()) == Reply(text: "123!"))
        #expect(run.steps.map(\.key) == ["one", "two", "three"])
        #expect(run.steps.map(\.status) == [.completed, .completed, .completed])
        #expect(run.steps[1].attempts == 2)
        #expect(run.steps[0].outputSize == 3)
        await test.stop()
    }

    @Test func aStepRetriesInsideTheAttemptWithItsOwnPolicy() async throws {
        let test = makeTestErrand()
        let effects = Counter()
        let stepRetry = StepOptions(retry: RetryPolicy(maxAttempts: 3, factor: 2, minDelay: .seconds(1), maxDelay: .seconds(5), jitter: 0))
        let task = TaskDefinition<Greeting, Reply>("step-retries", options: TaskOptions(retry: .none)) { _, ctx in
            let value: Int = try await ctx.step("flaky", options: stepRetry) {
                effects.hit("flaky")
                if effects.count("flaky") < 3 { throw Boom() }
                return 42
            }
            return Reply(text: "\(value)")
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(run.attemptCount == 1)
        #expect(effects.count("flaky") == 3)
        #expect(run.steps.first?.attempts == 3)
        await test.stop()
    }

    @Test func aStepThatFailsAfterItsRetriesFailsTheAttemptAndIsListedAsFailed() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("step-fails", options: TaskOptions(retry: .none)) { _, ctx in
            try await ctx.step("broken") { throw Boom(reason: "broken for good") }
            return Reply(text: "unreachable")
        }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .failed)
        #expect(run.error?.message == "broken for good")
        #expect(run.steps.first?.status == .failed)
        #expect(run.steps.first?.error?.message == "broken for good")
        await test.stop()
    }

    @Test func nestedStepKeysFormAPathAndNestingIsLimited() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Depth, Reply>("nested-steps", options: TaskOptions(retry: .none)) { payload, ctx in
            @Sendable func nest(_ level: Int) async throws -> Int {
                guard level < payload.limit else { return level }
                return try await ctx.step("level\(level + 1)") { try await nest(level + 1) }
            }
            return Reply(text: "\(try await nest(0))")
        }
        try test.errand.register(task)
        try await test.start()
        let ok = try await test.runUntilFinished(try await test.errand.trigger(task, Depth(level: 0, limit: 5)))
        #expect(ok.status == .completed)
        #expect(ok.steps.map(\.key).contains("level1/level2/level3/level4/level5"))
        let tooDeep = try await test.runUntilFinished(try await test.errand.trigger(task, Depth(level: 0, limit: 6)))
        #expect(tooDeep.status == .failed)
        #expect(tooDeep.error?.message.contains("nested 6 levels deep") == true)
        await test.stop()
    }

    @Test func aKeyUsedTwiceInOneRunIsAClearError() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("twice", options: TaskOptions(retry: .none)) { _, ctx in
            try await ctx.step("same") {}
            try await ctx.step("same") {}
            return Reply(text: "unreachable")
        }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .failed)
        #expect(run.error?.message.contains("step key \"same\" is used twice") == true)
        await test.stop()
    }

    @Test func aLongWaitHoldsNoWorkerSlotAndResumesOnTime() async throws {
        let test = makeTestErrand(concurrency: 1)
        let effects = Counter()
        let sleeper = TaskDefinition<Greeting, Reply>("sleeper", options: TaskOptions(retry: .none)) { _, ctx in
            try await ctx.step("before") { effects.hit("before") }
            try await ctx.wait(for: .seconds(3 * 3600))
            try await ctx.step("after") { effects.hit("after") }
            return Reply(text: "woke at \(ctx.calledAt.timeIntervalSince1970)")
        }
        let quick = greetTask()
        try test.errand.register(sleeper)
        try test.errand.register(quick)
        try await test.start()
        let start = test.clock.now
        let sleeping = try await test.errand.trigger(sleeper, Greeting(name: "s"))
        let parked = try await test.runUntil(sleeping) { $0.status == .waiting }
        #expect(parked.scheduledAt == start.addingTimeInterval(3 * 3600))
        #expect(parked.attempts.last?.outcome == .suspended)
        // The only slot is free: another run proceeds while the first one waits.
        let other = try await test.runUntilFinished(try await test.errand.trigger(quick, Greeting(name: "o")))
        #expect(other.status == .completed)
        #expect(test.clock.now < start.addingTimeInterval(3 * 3600))
        let done = try await test.runUntilFinished(sleeping)
        #expect(done.status == .completed)
        #expect(done.attemptCount == 2)
        #expect(done.suspensions == 1)
        #expect(done.attempts.last?.startedAt == start.addingTimeInterval(3 * 3600))
        #expect(effects.count("before") == 1)
        #expect(effects.count("after") == 1)
        #expect(done.steps.map(\.kind) == [.step, .wait, .step])
        await test.stop()
    }

    @Test func suspensionsDoNotUseUpRetries() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("waits-a-lot", options: TaskOptions(retry: .none)) { _, ctx in
            for _ in 0..<3 { try await ctx.wait(for: .seconds(60)) }
            return Reply(text: "done")
        }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .completed)
        #expect(run.attemptCount == 4)
        #expect(run.failedAttemptCount == 1)
        await test.stop()
    }

    @Test func triggerAndWaitReturnsTheChildsResultAndCreatesTheChildOnce() async throws {
        let test = makeTestErrand()
        let effects = Counter()
        let child = greetTask()
        let parent = TaskDefinition<Greeting, Reply>("parent", options: TaskOptions(retry: exactRetry)) { payload, ctx in
            let reply = try await ctx.triggerAndWait(child, Greeting(name: payload.name))
            effects.hit("after-child")
            if effects.count("after-child") == 1 { throw Boom(reason: "fail once after the child") }
            return Reply(text: "parent got: \(reply.text)")
        }
        try test.errand.register(child)
        try test.errand.register(parent)
        try await test.start()
        let id = try await test.errand.trigger(parent, Greeting(name: "kid"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(try JSONDecoder().decode(Reply.self, from: run.result ?? Data()).text == "parent got: hello kid")
        let children = try await test.errand.runs(RunQuery(parentID: id))
        #expect(children.runs.count == 1)
        #expect(children.runs.first?.depth == 1)
        #expect(children.runs.first?.awaited == true)
        #expect(run.steps.first?.kind == .child)
        #expect(run.steps.first?.childIDs == children.runs.map(\.id))
        await test.stop()
    }

    @Test func aFailingChildSurfacesItsErrorInTheParent() async throws {
        let test = makeTestErrand()
        let seen = Recorder<String>()
        let child = TaskDefinition<Greeting, Reply>("bad-child", options: TaskOptions(retry: .none)) { _, _ in
            throw Boom(reason: "child exploded")
        }
        let parent = TaskDefinition<Greeting, Reply>("catching-parent", options: TaskOptions(retry: .none)) { payload, ctx in
            do {
                _ = try await ctx.triggerAndWait(child, payload)
                return Reply(text: "no error?")
            } catch let error as ChildRunError {
                seen.append("\(error.status.rawValue): \(error.error?.message ?? "")")
                throw error
            }
        }
        try test.errand.register(child)
        try test.errand.register(parent)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(parent, Greeting(name: "x")))
        #expect(run.status == .failed)
        #expect(seen.all == ["failed: child exploded"])
        #expect(run.error?.message.contains("child exploded") == true)
        await test.stop()
    }

    @Test func childrenNestFiveLevelsAndTheSixthIsAClearError() async throws {
        let test = makeTestErrand()
        let task = Box<TaskDefinition<Depth, Reply>>()
        let recursive = TaskDefinition<Depth, Reply>("recursive", options: TaskOptions(retry: .none)) { payload, ctx in
            guard payload.level < payload.limit, let me = task.value else { return Reply(text: "bottom \(payload.level)") }
            return try await ctx.triggerAndWait(me, Depth(level: payload.level + 1, limit: payload.limit))
        }
        task.value = recursive
        try test.errand.register(recursive)
        try await test.start()
        let five = try await test.runUntilFinished(try await test.errand.trigger(recursive, Depth(level: 0, limit: 5)))
        #expect(five.status == .completed)
        #expect(try JSONDecoder().decode(Reply.self, from: five.result ?? Data()).text == "bottom 5")
        let six = try await test.runUntilFinished(try await test.errand.trigger(recursive, Depth(level: 0, limit: 6)))
        #expect(six.status == .failed)
        #expect(six.error?.message.contains("child runs nest at most 5 levels") == true)
        await test.stop()
    }

    @Test func batchTriggerAndWaitReturnsEveryChildsOutcomeInOrder() async throws {
        let test = makeTestErrand()
        let child = TaskDefinition<Greeting, Reply>("maybe", options: TaskOptions(retry: .none)) { payload, _ in
            if payload.name == "bad" { throw Boom(reason: "bad one") }
            return Reply(text: payload.name.uppercased())
        }
        let parent = TaskDefinition<Greeting, Reply>("fan-out", options: TaskOptions(retry: .none)) { _, ctx in
            let results = try await ctx.batchTriggerAndWait(child, ["a", "bad", "c"].map { Greeting(name: $0) })
            let text = results.map { result in
                switch result {
                case .success(let reply): reply.text
                case .failure(let error): "error(\(error.error?.message ?? ""))"
                }
            }
            return Reply(text: text.joined(separator: ","))
        }
        try test.errand.register(child)
        try test.errand.register(parent)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(parent, Greeting(name: "x")))
        #expect(run.status == .completed)
        #expect(try JSONDecoder().decode(Reply.self, from: run.result ?? Data()).text == "A,error(bad one),C")
        #expect(run.suspensions >= 1)
        await test.stop()
    }

    @Test func cancellingAParentCancelsItsWaitingChildren() async throws {
        let test = makeTestErrand()
        let grandchild = TaskDefinition<Greeting, Reply>("slow-grandchild", options: TaskOptions(retry: .none)) { _, ctx in
            try await ctx.wait(for: .seconds(3600))
            return Reply(text: "late")
        }
        let child = TaskDefinition<Greeting, Reply>("middle", options: TaskOptions(retry: .none)) { payload, ctx in
            try await ctx.triggerAndWait(grandchild, payload)
        }
        let parent = TaskDefinition<Greeting, Reply>("top", options: TaskOptions(retry: .none)) { payload, ctx in
            try await ctx.triggerAndWait(child, payload)
        }
        for task in [grandchild, child, parent] { try test.errand.register(task) }
        try await test.start()
        let id = try await test.errand.trigger(parent, Greeting(name: "x"))
        _ = try await test.runUntil(id) { $0.status == .waiting }
        await test.settle()
        let children = try await test.errand.runs(RunQuery(parentID: id)).runs
        #expect(children.count == 1)
        let grandchildren = try await test.errand.runs(RunQuery(parentID: children[0].id)).runs
        #expect(grandchildren.count == 1)
        let canceled = try await test.errand.cancel(id)
        #expect(canceled.status == .canceled)
        #expect(try await test.errand.state(children[0].id)?.status == .canceled)
        #expect(try await test.errand.state(grandchildren[0].id)?.status == .canceled)
        await test.stop()
    }

    @Test func aCompletedTokenResumesItsRunWithTheValue() async throws {
        let test = makeTestErrand()
        let approval = TaskDefinition<Greeting, Reply>("approval", options: TaskOptions(retry: .none)) { _, ctx in
            let decision: Reply = try await ctx.waitForToken(timeout: .seconds(24 * 3600))
            return Reply(text: "approved by \(decision.text)")
        }
        try test.errand.register(approval)
        try await test.start()
        let id = try await test.errand.trigger(approval, Greeting(name: "x"))
        _ = try await test.runUntil(id) { $0.status == .waiting }
        let tokens = try await test.errand.tokens(ofRun: id)
        #expect(tokens.count == 1)
        #expect(tokens.first?.status == .pending)
        try await test.errand.completeToken(tokens[0].id, with: Reply(text: "ada"))
        await #expect(throws: ErrandError.self) { try await test.errand.completeToken(tokens[0].id, with: Reply(text: "again")) }
        let run = try await test.runUntilFinished(id, within: .seconds(60))
        #expect(run.status == .completed)
        #expect(try JSONDecoder().decode(Reply.self, from: run.result ?? Data()).text == "approved by ada")
        await test.stop()
    }

    @Test func aTokenMadeOutsideAnyRunResumesEveryRunWaitingOnIt() async throws {
        let test = makeTestErrand()
        let token = try await test.errand.createToken()
        let approval = TaskDefinition<Greeting, Reply>("shared-approval", options: TaskOptions(retry: .none)) { greeting, ctx in
            let decision: Reply = try await ctx.waitForToken(token)
            return Reply(text: "\(greeting.name) approved by \(decision.text)")
        }
        try test.errand.register(approval)
        try await test.start()
        let ids = [try await test.errand.trigger(approval, Greeting(name: "a")), try await test.errand.trigger(approval, Greeting(name: "b"))]
        for id in ids { _ = try await test.runUntil(id) { $0.status == .waiting } }
        try await test.errand.completeToken(token.id, with: Reply(text: "ada"))
        for (id, name) in zip(ids, ["a", "b"]) {
            let run = try await test.runUntilFinished(id, within: .seconds(60))
            #expect(run.status == .completed)
            #expect(try JSONDecoder().decode(Reply.self, from: run.result ?? Data()).text == "\(name) approved by ada")
        }
        await test.stop()
    }

    @Test func anExpiredTokenTimesOutAndTheRunCanHandleIt() async throws {
        let test = makeTestErrand()
        let approval = TaskDefinition<Greeting, Reply>("approval-timeout", options: TaskOptions(retry: .none)) { _, ctx in
            do {
                let _: Reply = try await ctx.waitForToken(timeout: .seconds(600))
                return Reply(text: "approved")
            } catch let error as WaitTokenTimeoutError {
                return Reply(text: "timed out: \(error.tokenID.hasPrefix("tok_"))")
            }
        }
        try test.errand.register(approval)
        try await test.start()
        let start = test.clock.now
        let id = try await test.errand.trigger(approval, Greeting(name: "x"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(try JSONDecoder().decode(Reply.self, from: run.result ?? Data()).text == "timed out: true")
        #expect(run.attempts.last?.startedAt == start.addingTimeInterval(600))
        let token = try await test.errand.tokens(ofRun: id).first
        #expect(token?.status == .timedOut)
        await #expect(throws: ErrandError.self) { try await test.errand.completeToken(token?.id ?? "", with: Reply(text: "late")) }
        await test.stop()
    }

    @Test func invokeFunctionWaitsForTheResponseOrReturnsAtOnce() async throws {
        let test = makeTestErrand()
        try test.errand.register(greetTask())
        try await test.start()
        let response = try await test.errand.invokeFunction("greet", Data(#"{"name":"8base"}"#.utf8), waitForResponse: true)
        #expect(try JSONDecoder().decode(Reply.self, from: response ?? Data()) == Reply(text: "hello 8base"))
        let none = try await test.errand.invokeFunction("greet", Data(#"{"name":"later"}"#.utf8), waitForResponse: false)
        #expect(none == nil)
        await #expect(throws: ErrandError.self) {
            try await test.errand.invokeFunction("greet", Data(#"{"nom":1}"#.utf8), waitForResponse: true)
        }
        await test.stop()
    }

    @Test func aFireAndForgetChildIsLinkedButNotAwaited() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("fire-and-forget-child", options: TaskOptions(retry: .none)) { payload, ctx in
            let id = try await ctx.trigger(greetTask(), payload)
            let again = try await ctx.step("noop") { "x" }
            return Reply(text: "\(id.rawValue.isEmpty ? "" : "child")-\(again)")
        }
        try test.errand.register(greetTask())
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "y"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        let children = try await test.errand.runs(RunQuery(parentID: id)).runs
        #expect(children.count == 1)
        #expect(children.first?.awaited == false)
        await test.stop()
    }
}

/// A late-bound value, for a task that triggers itself.
final class Box<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)
    var value: Value? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
