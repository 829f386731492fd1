import Errand
import ErrandSQLite
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills a worker process with SIGKILL while it triggers and executes runs, restarts it, and checks
/// that no run was lost or completed twice, and that the attempts the kill cut short were rescued
/// as crashed and retried.
@Suite("crash recovery", .serialized)
struct CrashRecoveryTests {
    static let runs = 2_000

    @Test(.timeLimit(.minutes(3)))
    func killedWorkerLosesNoRunAndCompletesNoneTwice() async throws {
        let directory = try ErrandBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("crash.sqlite").path
        let steps = directory.appendingPathComponent("steps.log").path
        let started = ContinuousClock.now

        // 1. Trigger and execute, then kill the process mid-flight.
        let first = try ChildProcess(
            ["crash-worker", "--database", database, "--runs", String(Self.runs), "--step-file", steps], in: directory, label: "first"
        )
        // Kill once 600 triggers returned and 20 runs are done, preferably while an attempt's
        // handler is between its start and done lines (for at most 5 s more).
        let deadline = ContinuousClock.now + .seconds(30)
        var ready = false
        var busySince: ContinuousClock.Instant?
        while ContinuousClock.now < deadline, first.isRunning {
            let lines = StepLogLines(path: steps)
            if Self.triggeredCount(first.stdout) >= 600, lines.doneCount >= 20 {
                let since = busySince ?? ContinuousClock.now
                busySince = since
                if !lines.unfinished.isEmpty || ContinuousClock.now - since > .seconds(5) {
                    ready = true
                    break
                }
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        try #require(ready, "crash-worker did not trigger 600 runs and finish 20 within 30 s (running: \(first.isRunning)); stderr: \(first.stderr)")
        kill(first.pid, SIGKILL)
        try #require(await first.waitForExit(timeout: .seconds(10)))
        #expect(first.terminatedBySignal)
        let reportedTriggered = Self.triggeredCount(first.stdout)
        let atKill = StepLogLines(path: steps)
        let cutShort = atKill.unfinished

        // 2. Restart without triggering: it works until every run in the file is final.
        let second = try ChildProcess(
            ["crash-worker", "--database", database, "--runs", "0", "--step-file", steps, "--timeout", "120"], in: directory, label: "second"
        )
        let secondExited = await second.waitForExit(timeout: .seconds(150))
        try #require(secondExited, "the restarted crash-worker did not finish within 150 s; stderr: \(second.stderr)")
        try #require(second.terminationStatus == 0, "the restarted crash-worker failed: \(second.stderr)")
        #expect(second.stdout.contains("finished"))

        // 3. Check the database against what the first process reported and the step file.
        let store = try SQLiteRunStore(path: database)
        var records: [RunRecord] = []
        var cursor: String?
        repeat {
            let page = try await store.listRuns(RunQuery(limit: 1000, cursor: cursor))
            for run in page.runs {
                records.append(try #require(try await store.run(id: run.id)))
            }
            cursor = page.nextCursor
        } while cursor != nil

        // No run lost: every reported trigger is there, each exactly once.
        #expect(records.count >= reportedTriggered)
        let indices = try records.map { try JSONDecoder().decode(StepPayload.self, from: $0.payload).index }
        #expect(Set(indices).count == indices.count, "a run was stored twice")
        let missing = Set(0..<reportedTriggered).subtracting(indices)
        #expect(missing.isEmpty, "runs reported as triggered are missing: \(missing.sorted().prefix(10))")

        // Every run completed, by exactly one successful attempt, its last.
        let notCompleted = records.filter { $0.status != .completed }
        #expect(notCompleted.isEmpty, "runs not completed: \(notCompleted.prefix(5).map { "\($0.id) \($0.status)" })")
        for record in records {
            let succeeded = record.attempts.filter { $0.outcome == .succeeded }
            #expect(succeeded.count == 1 && record.attempts.last?.outcome == .succeeded, "run \(record.id) attempts: \(record.attempts.map { "\($0.number):\($0.outcome?.rawValue ?? "open")" })")
            #expect(record.attempts.allSatisfy { $0.outcome == .succeeded || $0.outcome == .crashed }, "run \(record.id) has an unexpected outcome")
        }

        // The step file: no attempt started twice; every run has exactly one `done` from a
        // successful attempt. A second `done` may only come from an attempt recorded as crashed
        // (the kill fell between the handler's return and the commit of its outcome).
        let finalSteps = StepLogLines(path: steps)
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id.rawValue, $0) })
        #expect(finalSteps.starts.values.allSatisfy { $0 == 1 }, "an attempt started twice")
        #expect(finalSteps.dones.values.allSatisfy { $0 == 1 }, "an attempt finished twice")
        var doneTwice = 0
        for record in records {
            let doneAttempts = finalSteps.dones.keys.filter { $0.run == record.id.rawValue }.map(\.number)
            let successful = doneAttempts.filter { number in record.attempts.first { $0.number == number }?.outcome == .succeeded }
            #expect(successful.count == 1, "run \(record.id) completed \(successful.count) times (done lines for attempts \(doneAttempts.sorted()))")
            let others = doneAttempts.filter { !successful.contains($0) }
            #expect(others.allSatisfy { number in record.attempts.first { $0.number == number }?.outcome == .crashed })
            if !others.isEmpty { doneTwice += 1 }
        }

        // The attempts cut short by the kill were rescued: crashed (worker lost), then retried.
        for attempt in cutShort {
            let record = try #require(byID[attempt.run], "a started run is missing from the database")
            let recorded = record.attempts.first { $0.number == attempt.number }
            #expect(recorded?.outcome == .crashed, "attempt \(attempt.number) of \(attempt.run) was cut short but is \(recorded?.outcome?.rawValue ?? "missing")")
            #expect(recorded?.error?.type == "workerLost")
            #expect(record.attempts.contains { $0.number > attempt.number && $0.outcome == .succeeded })
        }
        let rescued = records.filter { $0.attempts.contains { $0.outcome == .crashed } }
        if !cutShort.isEmpty { #expect(rescued.count >= 1) }
        #expect(rescued.count >= cutShort.count)

        print("""
            crash recovery: \(reportedTriggered) triggers reported before SIGKILL, \(records.count) runs stored, \
            \(atKill.doneCount) done at the kill, \(cutShort.count) attempts cut short mid-handler, \
            \(rescued.count) runs rescued (crashed attempt, then success), \(doneTwice) handlers ran to the end twice; \
            \(ContinuousClock.now - started) in all
            """)
    }

    /// The payload of `crash-step`.
    struct StepPayload: Decodable {
        var index: Int
    }

    /// The highest `triggered <n>` the crash worker printed.
    static func triggeredCount(_ output: String) -> Int {
        output.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("triggered ") else { return nil }
            return Int(line.dropFirst("triggered ".count))
        }.max() ?? 0
    }
}
