import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Maintenance: rescue, expiry, pruning")
struct MaintenanceTests {
    @Test func runWhoseWorkerDiedIsRescuedAsCrashedAndRetried() async throws {
        let store = MemoryRunStore()
        let clock = VirtualClock()
        let errand = Errand(store: store, clock: clock)
        try errand.register(greetTask())
        let id = try await errand.trigger(greetTask(), Greeting(name: "x"))
        // A worker in another process claims the run and dies.
        let now = clock.now
        _ = try await store.claimRuns(ClaimRequest(workerID: "dead-worker", limit: 1, now: now, leaseUntil: now.addingTimeInterval(30)))
        let maintenance = errand.maintenance()
        clock.advance(by: .seconds(29))
        #expect(try await maintenance.rescue() == 0)
        clock.advance(by: .seconds(2))
        #expect(try await maintenance.rescue() == 1)
        let run = try #require(try await errand.state(id))
        #expect(run.status == .retrying)
        #expect(run.attempts.first?.outcome == .crashed)
        #expect(run.error?.type == "workerLost")
        #expect(run.error?.message.contains("dead-worker") == true)
        #expect(run.scheduledAt == clock.now.addingTimeInterval(10))
    }

    @Test func rescuedRunWithNoAttemptLeftEndsCrashed() async throws {
        let store = MemoryRunStore()
        let clock = VirtualClock()
        let errand = Errand(store: store, clock: clock)
        try errand.register(greetTask(options: TaskOptions(retry: .none)))
        let id = try await errand.trigger(greetTask(), Greeting(name: "x"))
        _ = try await store.claimRuns(ClaimRequest(workerID: "dead", limit: 1, now: clock.now, leaseUntil: clock.now.addingTimeInterval(30)))
        clock.advance(by: .seconds(31))
        try await errand.maintenance().rescue()
        let run = try #require(try await errand.state(id))
        #expect(run.status == .crashed)
        #expect(run.failedAt == clock.now)
    }

    @Test func rescuedRunCompletesOnALiveWorker() async throws {
        let test = makeTestErrand()
        try test.errand.register(greetTask())
        let id = try await test.errand.trigger(greetTask(), Greeting(name: "x"))
        let now = test.clock.now
        _ = try await test.store.claimRuns(ClaimRequest(workerID: "dead", limit: 1, now: now, leaseUntil: now.addingTimeInterval(30)))
        try await test.start()
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(run.attempts.map(\.outcome) == [.crashed, .succeeded])
        #expect(run.attempts.map(\.workerID) == ["dead", "test-worker"])
        await test.stop()
    }

    @Test func queuedRunExpiresWhenItsTTLPasses() async throws {
        let clock = VirtualClock()
        let errand = Errand(store: MemoryRunStore(), clock: clock)
        try errand.register(greetTask())
        let id = try await errand.trigger(greetTask(), Greeting(name: "x"), options: .init(ttl: .seconds(60)))
        clock.advance(by: .seconds(59))
        #expect(try await errand.maintenance().expire() == 0)
        clock.advance(by: .seconds(1))
        #expect(try await errand.maintenance().expire() == 1)
        let run = try #require(try await errand.state(id))
        #expect(run.status == .expired)
        #expect(run.error?.type == "expired")
    }

    @Test func finishedRunsArePrunedAfterTheirRetention() async throws {
        let test = TestErrand(configuration: Errand.Configuration(retention: [.completed: .seconds(14 * 24 * 3600), .failed: .seconds(3600)]))
        try test.errand.register(greetTask())
        let failing = TaskDefinition<Greeting, Reply>("failing", options: TaskOptions(retry: .none)) { _, _ in throw Boom() }
        try test.errand.register(failing)
        try await test.start()
        let done = try await test.errand.trigger(greetTask(), Greeting(name: "x"))
        let failed = try await test.errand.trigger(failing, Greeting(name: "y"))
        try await test.runUntilFinished(done)
        try await test.runUntilFinished(failed)
        let maintenance = test.errand.maintenance()
        test.clock.advance(by: .seconds(3601))
        #expect(try await maintenance.prune() == 1)
        #expect(try await test.errand.state(failed) == nil)
        #expect(try await test.errand.state(done) != nil)
        test.clock.advance(by: .seconds(14 * 24 * 3600))
        #expect(try await maintenance.prune() == 1)
        #expect(try await test.errand.state(done) == nil)
        await test.stop()
    }
}
