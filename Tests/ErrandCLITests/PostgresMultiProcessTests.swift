import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Several `errand crash-worker` processes share one PostgreSQL database: a queue limited to 10
/// never has more than 10 attempts running across all of them, every run completes exactly once,
/// and when one process is killed with SIGKILL its runs are rescued and complete. Needs
/// `ERRAND_POSTGRES_URL` and `ERRAND_POSTGRES_BIN` (from `.ci/with-postgres`); fails without them.
@Suite("PostgreSQL: many worker processes", .serialized)
struct PostgresMultiProcessTests {
    /// A new, empty database on the test server; returns its URL.
    static func freshDatabase() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["ERRAND_POSTGRES_URL"], var components = URLComponents(string: url) else {
            Issue.record("ERRAND_POSTGRES_URL is not set: run the tests under .ci/with-postgres (scripts/test does)")
            throw CancellationError()
        }
        let name = "errand_mp_\(UInt32.random(in: 0...UInt32.max))"
        try psql(url, "CREATE DATABASE \(name)")
        components.path = "/\(name)"
        return try #require(components.string)
    }

    /// Runs one SQL command with psql and returns its unaligned output.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let bin = ProcessInfo.processInfo.environment["ERRAND_POSTGRES_BIN"] ?? "/usr/lib/postgresql/15/bin"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin + "/psql")
        process.arguments = [url, "-v", "ON_ERROR_STOP=1", "-tAc", sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "psql failed on: \(sql)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The most attempts running at once, by the order of the start and done lines in the shared
    /// step file (only attempts that logged both lines count).
    static func mostAtOnce(_ path: String) throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        var done: Set<Substring> = []
        for line in lines where line.hasPrefix("done ") { done.insert(line.dropFirst(5)) }
        var running = 0
        var most = 0
        for line in lines {
            if line.hasPrefix("start "), done.contains(line.dropFirst(6)) {
                running += 1
                most = max(most, running)
            } else if line.hasPrefix("done ") {
                running -= 1
            }
        }
        return most
    }

    func workerArguments(_ url: String, runs: Int, steps: String) -> [String] {
        ["crash-worker", "--database", url, "--runs", String(runs), "--batch-size", "500", "--step-file", steps,
         "--queue-limit", "10", "--concurrency", "8", "--timeout", "300"]
    }

    /// Starts four workers: the first triggers `runs` runs, the others join once it has.
    func startWorkers(_ url: String, runs: Int, steps: String, in directory: URL) async throws -> [ChildProcess] {
        let first = try ChildProcess(workerArguments(url, runs: runs, steps: steps), in: directory, label: "worker-0")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, first.process.isRunning, !first.stdout.contains("triggered") {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(first.stdout.contains("triggered"), "the first worker triggered nothing: \(first.stderr)")
        var workers = [first]
        for index in 1..<4 {
            workers.append(try ChildProcess(workerArguments(url, runs: 0, steps: steps), in: directory, label: "worker-\(index)"))
        }
        return workers
    }

    /// Checks that every run completed exactly once.
    func expectEveryRunCompletedOnce(_ url: String, runs: Int) throws {
        #expect(try Self.psql(url, "SELECT count(*) FROM errand.runs") == String(runs), "no run lost")
        #expect(try Self.psql(url, "SELECT count(*) FROM errand.runs WHERE status <> 'completed'") == "0", "every run completed")
        #expect(try Self.psql(url, "SELECT count(*) FROM errand.attempts WHERE outcome = 'succeeded'") == String(runs),
                "one succeeded attempt per run")
        #expect(try Self.psql(url, "SELECT count(DISTINCT run_id) FROM errand.attempts WHERE outcome = 'succeeded'") == String(runs))
    }

    @Test(.timeLimit(.minutes(6)))
    func fourWorkersHonourTheQueueLimitAndCompleteEachRunOnce() async throws {
        let url = try Self.freshDatabase()
        let directory = try ErrandBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let steps = directory.appendingPathComponent("steps.log").path
        let runs = 20_000
        let workers = try await startWorkers(url, runs: runs, steps: steps, in: directory)
        defer { for worker in workers where worker.process.isRunning { kill(worker.pid, SIGKILL) } }
        for worker in workers {
            let exited = await worker.waitForExit(timeout: .seconds(300))
            try #require(exited, "a worker did not finish: \(worker.stderr)")
            #expect(worker.process.terminationStatus == 0, "\(worker.stderr)")
        }
        try expectEveryRunCompletedOnce(url, runs: runs)
        let most = try Self.mostAtOnce(steps)
        #expect(most <= 10, "at most 10 attempts of the limited queue at once across 4 processes, saw \(most)")
        #expect(most > 1, "the processes worked in parallel")
        #expect(try Self.psql(url, "SELECT count(DISTINCT worker_id) FROM errand.attempts") == "4", "all four processes worked")
    }

    @Test(.timeLimit(.minutes(6)))
    func aKilledWorkersRunsAreRescuedAndNoneCompletesTwice() async throws {
        let url = try Self.freshDatabase()
        let directory = try ErrandBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let steps = directory.appendingPathComponent("steps.log").path
        let runs = 10_000
        let workers = try await startWorkers(url, runs: runs, steps: steps, in: directory)
        defer { for worker in workers where worker.process.isRunning { kill(worker.pid, SIGKILL) } }
        let victim = workers[1]
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, StepLogLines(path: steps).doneCount < 2_000 {
            try await Task.sleep(for: .milliseconds(20))
        }
        // Kill it while it holds runs (its worker id is host-pid-random), if that comes within 30 s.
        let mine = "worker_id LIKE '%-\(victim.pid)-%'"
        let busyDeadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < busyDeadline,
              (Int(try Self.psql(url, "SELECT count(*) FROM errand.runs WHERE status = 'executing' AND \(mine)")) ?? 0) < 2 {
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(victim.pid, SIGKILL)
        try #require(await victim.waitForExit(timeout: .seconds(10)))
        #expect(victim.process.terminationReason == .uncaughtSignal)
        // Its attempts left open: their leases run out and the others rescue them as crashed.
        let orphaned = Int(try Self.psql(url, "SELECT count(*) FROM errand.attempts WHERE ended_at IS NULL AND \(mine)")) ?? -1
        for worker in workers where worker !== victim {
            let exited = await worker.waitForExit(timeout: .seconds(300))
            try #require(exited, "a worker did not finish: \(worker.stderr)")
            #expect(worker.process.terminationStatus == 0, "\(worker.stderr)")
        }
        try expectEveryRunCompletedOnce(url, runs: runs)
        let crashed = Int(try Self.psql(url, "SELECT count(*) FROM errand.attempts WHERE outcome = 'crashed'")) ?? -1
        #expect(crashed == orphaned, "each attempt the kill left open was rescued as crashed (\(orphaned) left open)")
        #expect(try Self.psql(url, "SELECT count(*) FROM errand.attempts WHERE outcome = 'crashed' AND NOT (\(mine))") == "0",
                "only the killed worker's attempts crashed")
        #expect(try Self.mostAtOnce(steps) <= 10)
    }
}
