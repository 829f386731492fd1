import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Graceful shutdown")
struct ShutdownTests {
    func setUp(work: Duration, grace: Duration) throws -> (TestErrand, Worker, TaskDefinition<Greeting, Reply>) {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("working", options: TaskOptions(timeout: .seconds(3600), retry: exactRetry)) { _, ctx in
            try await ctx.clock.sleep(for: work)
            return Reply(text: "finished")
        }
        try test.errand.register(task)
        let worker = test.errand.worker(WorkerConfiguration(id: "w", pollInterval: .seconds(3600), shutdownGracePeriod: grace))
        return (test, worker, task)
    }

    @Test func inFlightAttemptFinishesWithinTheGracePeriod() async throws {
        let (test, worker, task) = try setUp(work: .seconds(5), grace: .seconds(30))
        let running = Task { try await worker.run() }
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        try await test.runUntil(id) { $0.status == .executing }
        worker.shutDown()
        let queued = try await test.errand.trigger(task, Greeting(name: "not claimed"))
        let run = try await test.runUntilFinished(id)
        try await running.value
        #expect(run.status == .completed)
        #expect(try await test.errand.state(queued)?.status == .queued)
    }

    @Test func attemptStillRunningAfterTheGracePeriodIsStoppedAndRetried() async throws {
        let (test, worker, task) = try setUp(work: .seconds(600), grace: .seconds(10))
        let running = Task { try await worker.run() }
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        let start = try await test.runUntil(id) { $0.status == .executing }.submittedAt
        worker.shutDown()
        let run = try await test.runUntil(id) { $0.status == .retrying }
        try await running.value
        #expect(run.error?.type == "shutdown")
        #expect(run.attempts.first?.endedAt == start?.addingTimeInterval(10))
        #expect(run.attempts.first?.outcome == .crashed)
    }
}
