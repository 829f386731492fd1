@testable import Errand
import ErrandTesting
import Foundation
import ServiceLifecycle
import Logging
import Testing

/// Leader election on a virtual clock: one leader, takeover at the lease's expiry when the leader
/// dies, at the next try when it resigns, and the scheduler and maintenance following it.
@Suite struct LeaderElectionTests {
    /// Elections on one store and clock, each with its own engine.
    struct Candidates {
        let store = MemoryRunStore()
        let clock = VirtualClock()
        var elections: [LeaderElection] = []

        init(_ count: Int) throws {
            for index in 0..<count {
                let errand = Errand(store: store, clock: clock)
                elections.append(try errand.leaderElection(LeaderElectionConfiguration(holder: "p\(index)")))
            }
        }

        var leaders: [String] { elections.filter(\.isLeader).map(\.configuration.holder) }

        /// Lets every election finish its current try (they sleep on the clock when done).
        func settle(expectedSleepers: Int) async {
            for _ in 0..<10_000 {
                if clock.sleeperCount >= expectedSleepers { break }
                await Task.yield()
            }
            for _ in 0..<100 { await Task.yield() }
        }
    }

    @Test func exactlyOneLeaderAndTakeoverAtTheLeasesExpiry() async throws {
        let candidates = try Candidates(3)
        var tasks = candidates.elections.map { election in Task { try await election.run() } }
        await candidates.settle(expectedSleepers: 3)
        let first = try #require(candidates.leaders.first)
        #expect(candidates.leaders.count == 1, "one leader, saw \(candidates.leaders)")
        #expect(candidates.elections.allSatisfy { $0.currentHolder == first }, "everyone knows the leader")

        // Renewals keep the same leader.
        for _ in 0..<6 {
            candidates.clock.advance(by: .seconds(5))
            await candidates.settle(expectedSleepers: 3)
            #expect(candidates.leaders == [first])
        }

        // The leader dies without giving the lease up: its last renewal was at +30 s, so the lease
        // runs out at +45 s, and a follower takes over then, not before.
        let dead = try #require(candidates.elections.firstIndex { $0.configuration.holder == first })
        tasks[dead].cancel()
        _ = try? await tasks[dead].value
        let deadline = candidates.clock.now.addingTimeInterval(15)
        candidates.clock.advance(to: deadline.addingTimeInterval(-0.5))
        await candidates.settle(expectedSleepers: 2)
        #expect(candidates.elections.enumerated().filter { $0.offset != dead && $0.element.isLeader }.isEmpty,
                "nobody takes over while the dead leader's lease is valid")
        candidates.clock.advance(to: deadline)
        await candidates.settle(expectedSleepers: 2)
        let survivors = candidates.elections.enumerated().filter { $0.offset != dead }.map(\.element)
        let newLeaders = survivors.filter(\.isLeader).map(\.configuration.holder)
        #expect(newLeaders.count == 1, "a follower took over at the lease's expiry, saw \(newLeaders)")
        #expect(newLeaders.first != first)
        for task in tasks { task.cancel() }
        tasks.removeAll()
    }

    @Test func gracefulShutdownHandsOverAtTheNextTry() async throws {
        let candidates = try Candidates(2)
        let leaderGroup = ServiceGroup(configuration: .init(services: [candidates.elections[0]], logger: Logger(label: "test")))
        let leaderTask = Task { try await leaderGroup.run() }
        await candidates.settle(expectedSleepers: 1)
        #expect(candidates.leaders == ["p0"])
        let follower = Task { try await candidates.elections[1].run() }
        await candidates.settle(expectedSleepers: 2)
        #expect(candidates.leaders == ["p0"])

        await leaderGroup.triggerGracefulShutdown()
        try await leaderTask.value
        #expect(!candidates.elections[0].isLeader)
        candidates.clock.advance(by: .seconds(5))  // the follower's next try, well before +15 s
        await candidates.settle(expectedSleepers: 1)
        #expect(candidates.leaders == ["p1"], "the released lease is taken at the follower's next try")
        follower.cancel()
    }

    @Test func schedulerFiresOnlyWhileLeading() async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        try test.errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "x"))
        let leases = try #require(test.store as? any LeaseStore)
        // Another process leads until +90 s (it renews twice, then dies).
        _ = try await leases.acquireLease("errand.leader", holder: "rival", until: minute(0.5), now: schedulerT0)
        _ = try test.errand.leaderElection(LeaderElectionConfiguration(holder: "me"))
        try await test.start()  // not startScheduling: its settling waits for due schedules to fire
        #expect(test.errand.election?.isLeader == false)
        for renewal in [1.0, 1.5] {
            _ = try await leases.acquireLease("errand.leader", holder: "rival", until: minute(renewal), now: minute(renewal - 0.5))
            await test.advance(by: .seconds(30))
        }
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == [], "the occurrence at minute 1 waits for the leader")

        try await test.advanceSchedules(by: .seconds(30))  // minute 1.5: the rival's lease runs out
        #expect(test.errand.election?.isLeader == true)
        try await test.advanceSchedules(by: .seconds(30))
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick").contains(2), "the new leader fires")
        await test.stop()
    }

    /// A renewal that comes after the lease ran out on the clock is a gain of leadership for
    /// whoever looked at `isLeader` in between: the followers are signalled (a scheduler waiting
    /// for leadership would otherwise wait for ever). Fails by hanging until the time limit.
    @Test(.timeLimit(.minutes(1)))
    func aRenewalAfterTheLeaseRanOutOnTheClockSignalsTheFollowers() async throws {
        let clock = VirtualClock()
        let errand = Errand(store: MemoryRunStore(), clock: clock)
        let election = try errand.leaderElection(LeaderElectionConfiguration(holder: "me", leaseDuration: .seconds(15), renewInterval: .seconds(5)))
        await election.attempt()
        #expect(election.isLeader)
        let follower = WakeSignal()
        election.register(follower)

        await election.attempt()
        clock.advance(by: .seconds(20))
        #expect(!election.isLeader, "the lease ran out on the clock before the next renewal")
        await election.attempt()
        #expect(election.isLeader)
        await follower.wait()
    }

    @Test func maintenanceRescuesOnlyWhileLeading() async throws {
        let test = TestErrand(maintenance: MaintenanceConfiguration(rescueInterval: .seconds(10), expiryInterval: .seconds(60), pruneInterval: .seconds(3600)))
        try test.errand.register(greetTask())
        let leases = try #require(test.store as? any LeaseStore)
        _ = try await leases.acquireLease("errand.leader", holder: "rival", until: test.clock.now.addingTimeInterval(120), now: test.clock.now)
        _ = try test.errand.leaderElection(LeaderElectionConfiguration(holder: "me"))
        // A run claimed by a worker that then died: its lease runs out at +10 s.
        let id = try await test.errand.trigger(greetTask(), Greeting(name: "zombie"))
        let claimed = try await test.store.claimRuns(ClaimRequest(workerID: "dead", limit: 1, now: test.clock.now, leaseUntil: test.clock.now.addingTimeInterval(10)))
        try #require(claimed.map(\.id) == [id])
        try await test.start()
        await test.advance(by: .seconds(60))
        #expect(try await test.store.run(id: id)?.status == .executing, "not leading: the zombie is left for the leader")
        await test.advance(by: .seconds(70))  // the rival's lease ran out at +120 s
        #expect(test.errand.election?.isLeader == true)
        await test.advance(by: .seconds(10))
        let rescued = try #require(try await test.store.run(id: id))
        #expect(rescued.attempts.first?.outcome == .crashed, "the leader rescued it")
        await test.stop()
    }

    @Test func badSettingsAndSecondElectionAreRejected() throws {
        let errand = Errand(store: MemoryRunStore())
        #expect(throws: ErrandError.self) {
            try errand.leaderElection(LeaderElectionConfiguration(leaseDuration: .seconds(10), renewInterval: .seconds(5)))
        }
        do {
            _ = try errand.leaderElection(LeaderElectionConfiguration(leaseDuration: .seconds(10), renewInterval: .seconds(6)))
            Issue.record("a renew interval of more than half the lease must be rejected")
        } catch let error as ErrandError {
            #expect(error.field == "renewInterval")
            #expect(error.message.contains("less than half"))
        }
        _ = try errand.leaderElection()
        #expect(throws: ErrandError.self) { try errand.leaderElection() }
        #expect(throws: ErrandError.self) { try Errand(store: RunOnlyStore()).leaderElection() }
    }
}
