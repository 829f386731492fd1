import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Lifecycle hooks")
struct HookTests {
    /// Builds a task whose every hook (task and global) records its name, failing the first
    /// `failures` attempts.
    func recordingSetup(failures: Int, maxAttempts: Int = 3) -> (TaskDefinition<Greeting, Reply>, GlobalHooks, Recorder<String>) {
        let log = Recorder<String>()
        var hooks = TaskHooks<Greeting, Reply>()
        hooks.initialize = { _, ctx in
            log.append("init#\(ctx.attempt)")
            return "from-init"
        }
        hooks.middleware = { _, ctx, next in
            log.append("middleware>#\(ctx.attempt)")
            try await next()
            log.append("middleware<#\(ctx.attempt)")
        }
        hooks.cleanup = { _, ctx in log.append("cleanup#\(ctx.attempt)") }
        hooks.onStart = { _, ctx in log.append("onStart#\(ctx.attempt)") }
        hooks.onSuccess = { _, output, _ in log.append("onSuccess:\(output.text)") }
        hooks.onFailure = { _, record in log.append("onFailure:\(record.status.rawValue)") }
        hooks.onComplete = { record in log.append("onComplete:\(record.status.rawValue)") }
        let global = GlobalHooks(
            initialize: { ctx in log.append("global.init#\(ctx.attempt)") },
            middleware: { ctx, next in
                log.append("global.middleware>#\(ctx.attempt)")
                try await next()
            },
            cleanup: { ctx in log.append("global.cleanup#\(ctx.attempt)") },
            onStart: { ctx in log.append("global.onStart#\(ctx.attempt)") },
            onSuccess: { _ in log.append("global.onSuccess") },
            onFailure: { _ in log.append("global.onFailure") },
            onComplete: { record in log.append("global.onComplete:\(record.status.rawValue)") }
        )
        let retry = RetryPolicy(maxAttempts: maxAttempts, minDelay: .seconds(1), jitter: 0)
        let task = TaskDefinition<Greeting, Reply>("hooked", options: TaskOptions(retry: retry), hooks: hooks) { _, ctx in
            log.append("run#\(ctx.attempt):\(ctx.initOutput(as: String.self) ?? "-")")
            if ctx.attempt <= failures { throw Boom() }
            return Reply(text: "ok")
        }
        return (task, global, log)
    }

    @Test func hooksRunInOrderOnSuccessAfterARetry() async throws {
        let (task, global, log) = recordingSetup(failures: 1)
        let test = makeTestErrand(configuration: Errand.Configuration(hooks: global))
        try test.errand.register(task)
        try await test.start()
        try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(log.all == [
            "global.onStart#1", "onStart#1",
            "global.init#1", "init#1", "global.middleware>#1", "middleware>#1", "run#1:from-init", "cleanup#1", "global.cleanup#1",
            "global.init#2", "init#2", "global.middleware>#2", "middleware>#2", "run#2:from-init", "middleware<#2", "cleanup#2", "global.cleanup#2",
            "onSuccess:ok", "global.onSuccess", "onComplete:completed", "global.onComplete:completed",
        ])
        await test.stop()
    }

    @Test func onFailureRunsOnlyOnceRetriesAreExhausted() async throws {
        let (task, global, log) = recordingSetup(failures: 9, maxAttempts: 2)
        let test = makeTestErrand(configuration: Errand.Configuration(hooks: global))
        try test.errand.register(task)
        try await test.start()
        try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(log.all.filter { $0.hasPrefix("onStart") } == ["onStart#1"])
        #expect(log.all.filter { $0.hasPrefix("cleanup") } == ["cleanup#1", "cleanup#2"])
        #expect(log.all.suffix(4) == ["onFailure:failed", "global.onFailure", "onComplete:failed", "global.onComplete:failed"])
        #expect(log.all.filter { $0.contains("onFailure") }.count == 2)
        await test.stop()
    }

    @Test func errorInCleanupFailsTheAttempt() async throws {
        let test = makeTestErrand()
        var hooks = TaskHooks<Greeting, Reply>()
        hooks.cleanup = { _, _ in throw Boom(reason: "cleanup broke") }
        let task = TaskDefinition<Greeting, Reply>("bad-cleanup", options: TaskOptions(retry: .none), hooks: hooks) { _, _ in Reply(text: "ok") }
        try test.errand.register(task)
        try await test.start()
        let run = try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x")))
        #expect(run.status == .failed)
        #expect(run.error?.message == "cleanup broke")
        await test.stop()
    }

    @Test func errorInOnStartIsIgnored() async throws {
        let test = makeTestErrand()
        var hooks = TaskHooks<Greeting, Reply>()
        hooks.onStart = { _, _ in throw Boom() }
        let task = TaskDefinition<Greeting, Reply>("bad-start", options: TaskOptions(retry: .none), hooks: hooks) { _, _ in Reply(text: "ok") }
        try test.errand.register(task)
        try await test.start()
        #expect(try await test.runUntilFinished(try await test.errand.trigger(task, Greeting(name: "x"))).status == .completed)
        await test.stop()
    }

    @Test func terminalHookFiresForCanceledAndExpiredRuns() async throws {
        let outcomes = Recorder<RunStatus>()
        let test = makeTestErrand(configuration: Errand.Configuration(hooks: GlobalHooks(onComplete: { outcomes.append($0.status) })))
        try test.errand.register(greetTask())
        try await test.start()
        let canceled = try await test.errand.trigger(greetTask(), Greeting(name: "c"), options: .init(after: .milliseconds(60_000)))
        try await test.errand.cancel(canceled)
        let expiring = try await test.errand.trigger(greetTask(), Greeting(name: "e"), options: .init(after: .milliseconds(1000), ttl: .seconds(1)))
        await test.settle()
        _ = try await test.errand.store.pruneRuns(finishedBefore: [:], limit: 0)
        test.clock.advance(by: .seconds(3))
        _ = try await test.errand.maintenance().expire()
        #expect(try await test.errand.state(expiring)?.status == .expired)
        #expect(outcomes.all == [.canceled, .expired])
        await test.stop()
    }
}
