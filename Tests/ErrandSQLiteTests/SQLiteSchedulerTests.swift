import Errand
import ErrandSQLite
import ErrandTesting
import Foundation
import Testing

@Suite("Scheduler on SQLite")
struct SQLiteSchedulerTests {
    struct Tick: Codable, Sendable {
        var n: Int
    }

    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)
    static let task = TaskDefinition<Tick, NoOutput>("tick") { _, _ in NoOutput() }
    static let configuration = SchedulerConfiguration(pollInterval: .seconds(30 * 24 * 3600))

    func minute(_ minutes: Double) -> Date { Self.t0.addingTimeInterval(minutes * 60) }

    /// An engine on its own connection to the file, declaring the one-minute schedule.
    func engine(_ path: String, clock: VirtualClock) throws -> Errand {
        let errand = Errand(store: try SQLiteRunStore(path: path, configuration: .init(durability: .normal)), clock: clock)
        try errand.register(Self.task)
        try errand.every(Self.task, rate: "rate(1 minute)", payload: Tick(n: 1))
        return errand
    }

    /// Runs schedulers in the background; returns a stop function.
    func run(_ schedulers: [Scheduler]) -> @Sendable () async throws -> Void {
        let running = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for scheduler in schedulers { group.addTask { try await scheduler.run() } }
                try await group.waitForAll()
            }
        }
        return {
            for scheduler in schedulers { scheduler.shutDown() }
            try await running.value
        }
    }

    /// Waits (in real time, at most 20 s) until `condition` holds.
    func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    @Test func twoSchedulersOnTwoConnectionsFireEachOccurrenceOnceAcrossARestart() async throws {
        try await withTemporaryPath { path in
            let clock = VirtualClock()
            let one = try engine(path, clock: clock)
            let two = try engine(path, clock: clock)
            let reader = try SQLiteRunStore(path: path)
            let stop = run([one.scheduler(Self.configuration), two.scheduler(Self.configuration)])
            // Both asleep on the clock (one sleeper each) once the schedule fired up to `now`.
            func settled(next: Date) async throws -> Bool {
                guard clock.sleeperCount == 2 else { return false }
                return try await reader.schedule(key: "tick")?.nextFireAt == next
            }
            try await waitUntil("both schedulers reconciled") { try await settled(next: minute(1)) }
            for occurrence in 1...100 {
                clock.advance(by: .seconds(60))
                try await waitUntil("occurrence \(occurrence) fired") { try await settled(next: minute(Double(occurrence + 1))) }
            }
            try await stop()

            clock.advance(by: .seconds(5 * 60 + 30))  // down from minute 100 to 105.5
            let three = try engine(path, clock: clock)
            let four = try engine(path, clock: clock)
            let restart = run([three.scheduler(Self.configuration), four.scheduler(Self.configuration)])
            try await waitUntil("the restarted schedulers caught up") { try await settled(next: minute(106)) }
            try await restart()

            let runs = try await reader.listRuns(RunQuery(task: "tick", limit: 1000)).runs
            let occurrences = runs.compactMap(\.occurrenceAt).map { $0.timeIntervalSince(Self.t0) / 60 }
            #expect(runs.count == 101, "one run per occurrence, whichever scheduler won")
            #expect(Set(occurrences) == Set((1...100).map(Double.init) + [105]), "latest catch-up: minute 105 once")
            #expect(Set(runs.compactMap(\.scheduleID)).count == 1)
            #expect(runs.allSatisfy { $0.scheduledAt == $0.occurrenceAt })
        }
    }

    @Test func schedulesSurviveReopeningTheFile() async throws {
        try await withTemporaryPath { path in
            let clock = VirtualClock()
            let errand = Errand(store: try SQLiteRunStore(path: path), clock: clock)
            try errand.register(Self.task)
            let created = try await errand.createSchedule(NewSchedule(
                task: "tick", expression: "0 9 ? * MON-FRI *", timeZone: "Europe/Berlin", payload: Data(#"{"n":2}"#.utf8),
                key: "weekday", externalID: "user-7", catchUp: .all(within: .seconds(7200)), overlap: .bufferOne
            ))
            _ = try await errand.pauseSchedule(created.id)
            let reopened = Errand(store: try SQLiteRunStore(path: path), clock: clock)
            let stored = try #require(try await reopened.schedule(id: created.id))
            #expect(stored.key == "weekday" && stored.externalID == "user-7" && stored.paused)
            #expect(stored.catchUp == .all(within: .seconds(7200)) && stored.overlap == .bufferOne)
            #expect(stored.timeZone == "Europe/Berlin" && stored.kind == .cron)
            let resumed = try await reopened.resumeSchedule(created.id)
            #expect(resumed.nextFireTimes(2) == [minute(8 * 60), minute(32 * 60)], "09:00 Berlin is 08:00 UTC in winter")
        }
    }
}
