import Errand
import ErrandConfig
import Foundation
import Synchronization

/// The multi-process e2e figure, `e2e_<N>p`: `N` worker processes (`errand bench-phase
/// e2e-worker`) claim, execute and complete the runs this process triggers in batches, every
/// write durable. The clock runs from the first trigger to the moment every run is triggered and
/// the store holds none unfinished (polled every ``pollInterval``); then every run must be
/// `completed`.
///
/// The poll asks whether any run is unfinished (``BenchStore/hasRuns(statuses:)``): on
/// PostgreSQL the first entry of each unfinished status's small partial index. Counting the
/// completed runs instead read an index over every finished run (9–12 ms at 50,000 runs, back
/// to back every 5 ms: about a third of a core taken from the system measured), and counting the
/// unfinished ones took about 5 ms a count while thousands were queued.
///
/// Each worker says `ready` on its standard output once it has run for 0.1 s, and shuts down
/// gracefully when its standard input closes.
enum EndToEndProcesses {
    /// How often the producer looks for unfinished runs.
    static let pollInterval: Duration = .milliseconds(5)

    /// The figure's name for `processes` worker processes.
    static func figureName(processes: Int) -> String { "e2e_\(processes)p" }

    /// The producer side (the phase `e2e-processes`).
    static func run(settings: BenchSettings) async throws -> [BenchFigure] {
        let runner = BenchPhaseRunner(settings: settings)
        let workers = try (0..<settings.processes).map { _ in try WorkerProcess(settings: settings) }
        defer { for worker in workers { worker.stop() } }
        for worker in workers { try worker.waitUntilReady() }
        let total = settings.jobs
        let pids = workers.map(\.pid)
        let elapsed: Duration = try await settings.withStore { store in
            try await runner.openConnections(store)
            let (errand, task) = try runner.makeErrand(store: store)
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            let triggered = Atomic(false)
            let producer = Task {
                // Also when triggering fails: the loop below then ends, and `producer.value` throws.
                defer { triggered.store(true, ordering: .releasing) }
                try await runner.triggerInBatches(errand, task, total: total)
            }
            while true {
                if triggered.load(ordering: .acquiring), try await !store.hasRuns(statuses: unfinished) { break }
                // A worker that died holds its runs until their leases lapse, and no worker here
                // rescues them: say so rather than wait for ever.
                for pid in pids {
                    // (Once per pid: collecting a status twice loses it.)
                    if let ended = HelperProcess.endedStatus(pid) { throw BenchError("an e2e worker process \(ended) while runs were unfinished") }
                }
                try await Task.sleep(for: pollInterval)
            }
            let elapsed = ContinuousClock.now - start
            try await producer.value
            let completed = try await store.countRuns(statuses: [.completed])
            guard completed == total else {
                throw BenchError("\(completed) of the \(total) runs triggered completed; the others ended in another status")
            }
            return elapsed
        }
        for worker in workers { worker.stop() }
        for worker in workers { try worker.finish() }
        writeLine(
            "# \(figureName(processes: settings.processes)): \(total) runs triggered in batches of \(settings.batchSize) by one process while \(settings.processes) worker processes (concurrency \(settings.concurrency) each) execute them; \(runner.format(elapsed)) to the last durable outcome (unfinished runs looked for every \(pollInterval.milliseconds) ms); load1 \(runner.load1())"
        )
        return [BenchFigure(name: figureName(processes: settings.processes), value: Double(total) / elapsed.timeInterval, unit: "runs/s")]
    }

    /// The statuses of unfinished runs.
    private static let unfinished = RunStatus.allCases.filter { !$0.isFinal }

    /// The worker side (the phase `e2e-worker`): a worker until standard input closes.
    static func worker(settings: BenchSettings) async throws -> [BenchFigure] {
        let runner = BenchPhaseRunner(settings: settings)
        return try await settings.withStore { store in
            try await runner.openConnections(store)
            let counter = BenchCounter(target: .max)
            let (errand, _) = try runner.makeErrand(store: store) { _, _ in
                counter.increment()
                return NoOutput()
            }
            var configuration = runner.workerConfiguration()
            configuration.id = "bench-\(ProcessInfo.processInfo.processIdentifier)"
            let worker = errand.worker(configuration)
            let running = Task { try await worker.run() }
            try await Task.sleep(for: .milliseconds(100))
            let stdinClosed = Thread {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                worker.shutDown()
            }
            stdinClosed.start()
            writeLine("ready")
            try await running.value
            writeLine("# e2e worker \(configuration.id): \(counter.count) runs executed")
            return []
        }
    }

    /// One `e2e-worker` child: its standard input (closed to stop it) and its output lines.
    final class WorkerProcess {
        private let process: PhaseProcess

        init(settings: BenchSettings) throws {
            process = try PhaseProcess(["bench-phase", "e2e-worker", "--settings", settings.encoded], pipeInput: true)
        }

        /// Reads the worker's output up to its `ready` line.
        func waitUntilReady() throws {
            while let line = process.nextLine() {
                if line == "ready" { return }
                forward(line)
            }
            throw BenchError("an e2e worker process \(process.waitForExit() ?? "exited with status 0") before it was ready")
        }

        /// The process id.
        var pid: pid_t { process.pid }

        /// Closes the worker's standard input: it shuts down gracefully.
        func stop() {
            process.closeInput()
        }

        /// Reads the rest of the worker's output and waits for it to exit; a failure is an error.
        func finish() throws {
            while let line = process.nextLine() { forward(line) }
            if let failure = process.waitForExit() { throw BenchError("an e2e worker process \(failure)") }
        }

        /// Notes go on to the orchestrator; the worker's own figures (its peak memory) are dropped.
        private func forward(_ line: String) {
            if line.hasPrefix("#") { writeLine(line) }
        }
    }
}
