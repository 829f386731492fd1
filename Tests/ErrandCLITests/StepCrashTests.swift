import Errand
import ErrandSQLite
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills a process with SIGKILL while it executes multi-step runs, between and inside steps, then
/// restarts it: the steps whose output was stored before the kill do not run again, and every run
/// completes.
@Suite("durable steps across a crash", .serialized)
struct StepCrashTests {
    static let runs = 300

    @Test(.timeLimit(.minutes(3)))
    func completedStepsDoNotRunAgainAfterAKill() async throws {
        let directory = try ErrandBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("steps.sqlite").path
        let log = directory.appendingPathComponent("steps.log").path

        let first = try ChildProcess(
            ["crash-worker", "--task", "steps", "--database", database, "--runs", String(Self.runs), "--step-file", log],
            in: directory, label: "first"
        )
        let deadline = ContinuousClock.now + .seconds(60)
        var ready = false
        while ContinuousClock.now < deadline, first.isRunning {
            if Self.lines(log).filter({ $0.hasPrefix("committed ") }).count >= 150 {
                ready = true
                break
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        try #require(ready, "crash-worker did not commit 150 steps within 60 s; stderr: \(first.stderr)")
        kill(first.pid, SIGKILL)
        try #require(await first.waitForExit(timeout: .seconds(10)))
        let committedAtKill = Set(Self.lines(log).filter { $0.hasPrefix("committed ") }.map { String($0.dropFirst("committed ".count)) })

        let second = try ChildProcess(
            ["crash-worker", "--task", "steps", "--database", database, "--runs", "0", "--step-file", log, "--timeout", "120"],
            in: directory, label: "second"
        )
        try #require(await second.waitForExit(timeout: .seconds(150)), "the restarted crash-worker did not finish; stderr: \(second.stderr)")
        try #require(second.terminationStatus == 0, "the restarted crash-worker failed: \(second.stderr)")

        let store = try SQLiteRunStore(path: database)
        let runs = try await store.listRuns(RunQuery(limit: 1000)).runs
        #expect(runs.count >= 1)
        #expect(runs.allSatisfy { $0.status == .completed }, "runs not completed: \(runs.filter { $0.status != .completed }.prefix(5).map(\.id))")

        var ran: [String: Int] = [:]
        for line in Self.lines(log) where line.hasPrefix("ran ") { ran[String(line.dropFirst("ran ".count)), default: 0] += 1 }
        // A step stored before the kill never ran again.
        let rerun = committedAtKill.filter { (ran[$0] ?? 0) != 1 }
        #expect(rerun.isEmpty, "steps stored before the kill ran again: \(rerun.sorted().prefix(5))")
        // Every step of every run ran, and its output is stored.
        for run in runs {
            let record = try #require(try await store.run(id: run.id))
            #expect(record.steps.map(\.key) == ["s1", "s2", "s3"])
            #expect(record.steps.allSatisfy { $0.status == .completed })
            for number in 1...3 { #expect((ran["\(run.id) \(number)"] ?? 0) >= 1) }
        }
        let twice = ran.values.filter { $0 > 1 }.count
        print("durable steps crash: \(committedAtKill.count) steps stored before SIGKILL (none ran again), \(twice) steps cut short by the kill ran twice, \(runs.count) runs completed")
    }

    static func lines(_ path: String) -> [Substring] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
    }
}
