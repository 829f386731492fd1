import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Several `errand crash-worker` processes share one PostgreSQL database: a queue limited to 10
/// never has more than 10 attempts running across all of them, every run completes exactly once,
/// when one process is killed with SIGKILL its runs are rescued and complete, and when the server
/// restarts mid-load the processes reconnect and finish the work. Three `errand serve` processes
/// sharing a schedule fire each occurrence once, and one takes over when the leader is killed. Needs `ERRAND_POSTGRES_URL`,
/// `ERRAND_POSTGRES_BIN` and `ERRAND_POSTGRES_DATA` (from `.ci/with-postgres`); fails without them.
@Suite("PostgreSQL: many worker processes", .serialized)
struct PostgresMultiProcessTests {
    /// The load of each fleet test, the issue's: 20,000 runs on a queue limited to 10, with and
    /// without a worker killed or the server restarted mid-load.
    static let load = 20_000

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
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("errand-psql-\(UUID().uuidString)").path
        defer { for file in [output, output + ".err"] { try? FileManager.default.removeItem(atPath: file) } }
        let pid = try ChildProcess.spawn(
            [bin + "/psql", url, "-v", "ON_ERROR_STOP=1", "-tAc", sql], directory: nil, stdin: "/dev/null", stdout: output, stderr: output + ".err"
        )
        let status = ChildProcess.waitBlocking(pid)
        try #require(status == .exited(0), "psql \(status) on: \(sql): \((try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? "")")
        return try String(contentsOfFile: output, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Restarts the test server (`pg_ctl restart -m fast`: open connections are cut, the server
    /// is down for a moment and comes back on the same port), as the `postgres` user, with all
    /// output to /dev/null and no other descriptor open: the new server inherits pg_ctl's
    /// descriptors and outlives the test.
    static func restartServer() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let data = environment["ERRAND_POSTGRES_DATA"] else {
            Issue.record("ERRAND_POSTGRES_DATA is not set: run the tests under .ci/with-postgres (scripts/test does)")
            throw CancellationError()
        }
        let bin = environment["ERRAND_POSTGRES_BIN"] ?? "/usr/lib/postgresql/15/bin"
        let log = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("server.log").path
        var command = [bin + "/pg_ctl", "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "restart"]
        if getuid() == 0 { command = ["/usr/sbin/runuser", "-u", "postgres", "--"] + command }
        let pid = try ChildProcess.spawn(command, directory: nil, stdin: "/dev/null", stdout: "/dev/null", stderr: "/dev/null")
        let status = ChildProcess.waitBlocking(pid)
        try #require(status == .exited(0), "pg_ctl restart \(status); see \(log)")
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
        while ContinuousClock.now < deadline, first.isRunning, !first.stdout.contains("triggered") {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(first.stdout.contains("triggered"), "the first worker triggered nothing: \(first.stderr)")
        var workers = [first]
        for index in 1..<4 {
            workers.append(try ChildProcess(workerArguments(url, runs: 0, steps: steps), in: directory, label: "worker-\(index)"))
        }
        return workers
    }

    /// Four `errand crash-worker` processes on a fresh database, sharing a step file in a
    /// temporary directory; ``stop()`` kills what still runs and removes the directory.
    struct Fleet {
        let url: String
        let directory: URL
        let steps: String
        let workers: [ChildProcess]

        static func start(runs: Int, test: PostgresMultiProcessTests) async throws -> Fleet {
            let url = try PostgresMultiProcessTests.freshDatabase()
            let directory = try ErrandBinary.temporaryDirectory()
            let steps = directory.appendingPathComponent("steps.log").path
            do {
                let workers = try await test.startWorkers(url, runs: runs, steps: steps, in: directory)
                return Fleet(url: url, directory: directory, steps: steps, workers: workers)
            } catch {
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
        }

        func stop() {
            for worker in workers where worker.isRunning { kill(worker.pid, SIGKILL) }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Every ended attempt, as `attempts` rows: the stored rows, and the succeeded last attempt a
    /// completed run keeps on its row (schema version 7), as the store reads them.
    static let attempts = """
        (SELECT run_id, number, worker_id, started_at, outcome FROM errand.attempts
         UNION ALL
         SELECT r.id, r.attempt_count, r.attempt_worker_id, r.attempt_started_at, 'succeeded' FROM errand.runs AS r
         WHERE r.status = 'completed' AND r.attempt_worker_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM errand.attempts AS a WHERE a.run_id = r.id AND a.number = r.attempt_count)) AS attempts
        """

    /// Checks that every run completed exactly once.
    func expectEveryRunCompletedOnce(_ url: String, runs: Int) throws {
        #expect(try Self.psql(url, "SELECT count(*) FROM errand.runs") == String(runs), "no run lost")
        #expect(try Self.psql(url, "SELECT count(*) FROM errand.runs WHERE status <> 'completed'") == "0", "every run completed")
        #expect(try Self.psql(url, "SELECT count(*) FROM \(Self.attempts) WHERE outcome = 'succeeded'") == String(runs),
                "one succeeded attempt per run")
        #expect(try Self.psql(url, "SELECT count(DISTINCT run_id) FROM \(Self.attempts) WHERE outcome = 'succeeded'") == String(runs))
    }

    @Test(.timeLimit(.minutes(6)))
    func fourWorkersHonourTheQueueLimitAndCompleteEachRunOnce() async throws {
        let runs = Self.load
        let fleet = try await Fleet.start(runs: runs, test: self)
        defer { fleet.stop() }
        let (url, steps, workers) = (fleet.url, fleet.steps, fleet.workers)
        for worker in workers {
            let exited = await worker.waitForExit(timeout: .seconds(300))
            try #require(exited, "a worker did not finish: \(worker.stderr)")
            #expect(worker.terminationStatus == 0, "\(worker.stderr)")
        }
        try expectEveryRunCompletedOnce(url, runs: runs)
        let most = try Self.mostAtOnce(steps)
        #expect(most <= 10, "at most 10 attempts of the limited queue at once across 4 processes, saw \(most)")
        #expect(most > 1, "the processes worked in parallel")
        #expect(try Self.psql(url, "SELECT count(DISTINCT worker_id) FROM \(Self.attempts)") == "4", "all four processes worked")
    }

    @Test(.timeLimit(.minutes(6)))
    func aKilledWorkersRunsAreRescuedAndNoneCompletesTwice() async throws {
        let runs = Self.load
        let fleet = try await Fleet.start(runs: runs, test: self)
        defer { fleet.stop() }
        let (url, steps, workers) = (fleet.url, fleet.steps, fleet.workers)
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
        // Its sessions, named by its pid (`errand HOST pid N`), in this test's database.
        let sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'errand % pid \(victim.pid)'"
        try #require((Int(try Self.psql(url, sessions)) ?? 0) > 0, "the worker's sessions are named by its pid")
        kill(victim.pid, SIGKILL)
        try #require(await victim.waitForExit(timeout: .seconds(10)))
        #expect(victim.terminatedBySignal)
        // A statement the victim sent may still run after its death (a claim commits, then finds
        // the socket closed): count once its sessions are all gone.
        let left = try await Self.poll(url, sessions, within: .seconds(10)) { $0 == "0" }
        try #require(left == "0", "the killed worker's sessions ended (\(left) left)")
        // Its attempts left open (one per run it was executing; an open attempt lives in the run's
        // row until it ends): their leases run out and the others rescue them as crashed. Read in
        // one statement with those already rescued meanwhile (a rescue moves an attempt from the
        // first count to the second in one transaction).
        let orphaned = Int(try Self.psql(url, """
            SELECT (SELECT count(*) FROM errand.runs WHERE status = 'executing' AND \(mine))
                + (SELECT count(*) FROM \(Self.attempts) WHERE outcome = 'crashed' AND \(mine))
            """)) ?? -1
        for worker in workers where worker !== victim {
            let exited = await worker.waitForExit(timeout: .seconds(300))
            try #require(exited, "a worker did not finish: \(worker.stderr)")
            #expect(worker.terminationStatus == 0, "\(worker.stderr)")
        }
        try expectEveryRunCompletedOnce(url, runs: runs)
        let crashed = Int(try Self.psql(url, "SELECT count(*) FROM \(Self.attempts) WHERE outcome = 'crashed'")) ?? -1
        let byWorker = try Self.psql(url, "SELECT string_agg(worker_id || ': ' || n, ', ') FROM (SELECT worker_id, count(*) AS n FROM \(Self.attempts) WHERE outcome = 'crashed' GROUP BY worker_id) AS c")
        #expect(crashed == orphaned, "each attempt the kill left open was rescued as crashed (\(orphaned) left open; crashed by worker: \(byWorker); victim \(victim.pid))")
        #expect(try Self.psql(url, "SELECT count(*) FROM \(Self.attempts) WHERE outcome = 'crashed' AND NOT (\(mine))") == "0",
                "only the killed worker's attempts crashed")
        #expect(try Self.mostAtOnce(steps) <= 10)
    }

    @Test(.timeLimit(.minutes(6)))
    func workersCarryOnAcrossAServerRestart() async throws {
        let runs = Self.load
        let fleet = try await Fleet.start(runs: runs, test: self)
        defer { fleet.stop() }
        let (url, steps, workers) = (fleet.url, fleet.steps, fleet.workers)
        let startedAt = try Self.psql(url, "SELECT pg_postmaster_start_time()")
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, StepLogLines(path: steps).doneCount < 2_000 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let doneBefore = StepLogLines(path: steps).doneCount
        try Self.restartServer()
        #expect(try Self.psql(url, "SELECT pg_postmaster_start_time()") != startedAt, "the server restarted")
        for worker in workers {
            let exited = await worker.waitForExit(timeout: .seconds(300))
            try #require(exited, "a worker did not finish: \(worker.stderr)")
            #expect(worker.terminationStatus == 0, "\(worker.stderr)")
        }
        #expect(doneBefore < runs, "the restart came mid-load (\(doneBefore) of \(runs) done before it)")
        try expectEveryRunCompletedOnce(url, runs: runs)
        #expect(try Self.mostAtOnce(steps) <= 10)
        // Times are stored as seconds since 2001-01-01 (Foundation's reference date), 978307200 after the Unix epoch.
        let after = try Self.psql(url, "SELECT string_agg(DISTINCT worker_id, ' ') FROM \(Self.attempts) WHERE started_at + 978307200 > extract(epoch FROM pg_postmaster_start_time())")
        // Every process carries on after the restart, and none waited out the store's operation
        // bound: a statement sent on a connection the restart had closed used to hang inside
        // PostgresNIO until that bound (30 s) abandoned it (see `Session.rows`).
        for worker in workers {
            #expect(after.contains("-\(worker.pid)-"), "process \(worker.pid) did no work after the restart: \(worker.stderr)")
            #expect(!worker.stderr.contains("did not answer within"), "process \(worker.pid) stalled: \(worker.stderr)")
        }
    }

    /// Polls `sql` until `done` holds for its output or `limit` passes; returns the last output.
    static func poll(_ url: String, _ sql: String, within limit: Duration, until done: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + limit
        var output = try psql(url, sql)
        while !done(output), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            output = try psql(url, sql)
        }
        return output
    }

    @Test(.timeLimit(.minutes(5)))
    func threeSchedulersFireEachOccurrenceOnceAndOneTakesOverFromAKilledLeader() async throws {
        let url = try Self.freshDatabase()
        let directory = try ErrandBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Every minute, on the minute: three `errand serve` processes load the same schedule.
        let project = "tasks:\n  tick:\n    shell: \"true\"\n    schedule: \"cron(* * * * ? *)\"\n"
        try project.write(to: directory.appendingPathComponent("errand.yml"), atomically: true, encoding: .utf8)
        var serves: [ChildProcess] = []
        defer { for serve in serves where serve.isRunning { kill(serve.pid, SIGKILL) } }
        for index in 0..<3 {
            serves.append(try ChildProcess(["serve", "--port", "0", "--database", url], in: directory, label: "serve-\(index)"))
        }
        let holderSQL = "SELECT holder FROM errand.leases WHERE expires_at + 978307200 > extract(epoch FROM clock_timestamp())"
        // The holder names the process: host:pid:random.
        func process(holding holder: String) -> ChildProcess? {
            serves.first { holder.contains(":\($0.pid):") }
        }
        let migrated = try await Self.poll(url, "SELECT to_regclass('errand.leases') IS NOT NULL", within: .seconds(30)) { $0 == "t" }
        try #require(migrated == "t", "no serve process migrated the database: \(serves.map(\.stderr))")
        let firstHolder = try await Self.poll(url, holderSQL, within: .seconds(30)) { process(holding: $0) != nil }
        let leader = try #require(process(holding: firstHolder), "no serve process leads: \(serves.map(\.stderr))")

        let firedSQL = "SELECT count(*) FROM errand.runs WHERE schedule_id IS NOT NULL"
        let fired = try await Self.poll(url, firedSQL, within: .seconds(75)) { (Int($0) ?? 0) >= 1 }
        try #require(fired == "1", "the first occurrence fired once (\(fired) runs)")
        kill(leader.pid, SIGKILL)
        let killedAt = ContinuousClock.now
        try #require(await leader.waitForExit(timeout: .seconds(10)))
        let nextHolder = try await Self.poll(url, holderSQL, within: .seconds(25)) { holder in
            process(holding: holder).map { $0 !== leader } ?? false
        }
        let takeover = ContinuousClock.now - killedAt
        let successor = try #require(process(holding: nextHolder), "no process took over: \(nextHolder)")
        #expect(successor !== leader)
        #expect(takeover <= .seconds(17), "a follower took over within the 15 s lease (and a poll): \(takeover)")

        let firedAgain = try await Self.poll(url, firedSQL, within: .seconds(75)) { (Int($0) ?? 0) >= 2 }
        #expect(firedAgain == "2", "the next occurrence fired once, from the new leader (\(firedAgain) runs)")
        // Give a duplicate a chance to appear, then check: one run per occurrence, a minute apart.
        try await Task.sleep(for: .seconds(2))
        let occurrences = try Self.psql(url, "SELECT occurrence_at FROM errand.runs WHERE schedule_id IS NOT NULL ORDER BY occurrence_at")
            .split(separator: "\n").compactMap { Double($0) }
        #expect(occurrences.count == 2 && Set(occurrences).count == 2, "each occurrence fired once: \(occurrences)")
        if occurrences.count == 2 { #expect(occurrences[1] - occurrences[0] == 60, "no occurrence skipped: \(occurrences)") }
        for serve in serves where serve !== leader {
            kill(serve.pid, SIGTERM)
            #expect(await serve.waitForExit(timeout: .seconds(20)), "\(serve.stderr)")
        }
    }
}
