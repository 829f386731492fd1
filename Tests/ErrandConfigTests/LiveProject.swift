import Errand
import ErrandConfig
import Foundation
import Logging
import Testing

/// A project from YAML text, registered in an ``Errand`` on the in-memory store with a real
/// worker on the system clock (the handlers start real processes and real HTTP requests).
struct LiveProject {
    let errand: Errand
    let folder: URL

    /// Writes `files` (name → contents, executable) into a fresh folder, parses `yaml` as that
    /// folder's `errand.yml`, then runs `body` as ``run(_:killGracePeriod:_:)`` does.
    static func run<T: Sendable>(
        _ yaml: String, files: [String: String] = [:], killGracePeriod: Duration = .seconds(2),
        _ body: (LiveProject) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("errand-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, contents) in files {
            let file = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        let project = try ProjectConfig.parse(yaml, path: folder.appendingPathComponent("errand.yml").path)
        return try await run(project, killGracePeriod: killGracePeriod, body)
    }

    /// Registers `project` in an engine on the in-memory store, starts a worker, runs `body`,
    /// then shuts the worker and the runner down.
    static func run<T: Sendable>(
        _ project: ProjectConfig, killGracePeriod: Duration = .seconds(2), _ body: (LiveProject) async throws -> T
    ) async throws -> T {
        // Quiet: the commands' standard-error lines are logged at info.
        let logger = Logger(label: "errand-config-tests") { _ in SwiftLogNoOpLogHandler() }
        let errand = Errand(store: MemoryRunStore(), configuration: Errand.Configuration(logger: logger))
        let runner = ProjectRunner(logger: logger, killGracePeriod: killGracePeriod)
        try errand.register(project, runner: runner)
        let worker = errand.worker(WorkerConfiguration(
            id: "config-test", concurrency: 4, pollInterval: .milliseconds(50), shutdownGracePeriod: .seconds(10)
        ))
        let workerTask = Task { try await worker.run() }
        let outcome: Result<T, any Error>
        do {
            let folder = URL(fileURLWithPath: project.path).deletingLastPathComponent()
            outcome = .success(try await body(LiveProject(errand: errand, folder: folder)))
        } catch {
            outcome = .failure(error)
        }
        worker.shutDown()
        try await workerTask.value
        try await runner.shutdown()
        return try outcome.get()
    }

    /// Triggers a run of `task` with a JSON payload and waits until it is final.
    func runToEnd(_ task: String, payload: String = "{}") async throws -> RunRecord {
        let id = try await errand.trigger(TriggerRequest(task: task, payload: Data(payload.utf8)))
        return try await errand.waitForCompletion(id, pollInterval: .milliseconds(50))
    }
}

extension RunRecord {
    /// The result as JSON.
    var resultJSON: JSONValue? { result.map { JSONValue(json: $0) } }
}

/// Whether a process is gone: no such process, or (for an orphan whose new parent does not reap,
/// as in some containers) a zombie, which runs no more code.
func processIsGone(_ pid: Int32) -> Bool {
    if kill(pid, 0) != 0 && errno == ESRCH { return true }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return true }
    return stat[stat.index(close, offsetBy: 2)] == "Z"
}

/// Polls `condition` every 50 ms, at most `attempts` times; whether it became true. Used only to
/// wait for the operating system to finish a kill, never to measure time.
func eventually(attempts: Int = 200, _ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}
