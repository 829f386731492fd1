import Errand
import Foundation
import Testing

@testable import ErrandConfig

@Suite("limits: memory, CPU time and open files of command tasks")
struct ResourceLimitsTests {
    @Test("limits: is read into the command's spec, in KB, MB or GB, whole seconds and a file count")
    func parses() throws {
        let task = try parseTask("tasks:\n  t:\n    command: [\"./x\"]\n    limits: { memory: 256MB, cpu: 2m, files: 64 }\n")
        guard case .command(let spec) = task.handler else { Issue.record("not a command: \(task.handler)"); return }
        #expect(spec.limits == ResourceLimits(memoryBytes: 256 << 20, cpuSeconds: 120, openFiles: 64))
        let shell = try parseTask("tasks:\n  t:\n    shell: \"true\"\n    limits: { memory: 1 gb }\n")
        guard case .shell(let shellSpec) = shell.handler else { Issue.record("not a shell: \(shell.handler)"); return }
        #expect(shellSpec.limits == ResourceLimits(memoryBytes: 1 << 30))
        #expect(ResourceLimits.describe(bytes: 64 << 20) == "64 MB" && ResourceLimits.describe(bytes: 1536 << 20) == "1.5 GB")
    }

    @Test("bad limits are errors at their node naming the allowed values")
    func badLimits() throws {
        let error = try #require(parseError(
            "tasks:\n  t:\n    shell: \"true\"\n    limits: { memory: 256, cpu: 1.5s, files: 2, disk: 1GB }\n"
        ))
        let problems = error.all.map { "\($0.line):\($0.column) \($0.keyPath)" }
        #expect(problems == ["4:49 tasks.t.limits.disk", "4:23 tasks.t.limits.memory", "4:33 tasks.t.limits.cpu", "4:46 tasks.t.limits.files"])
        #expect(error.all[0].message.contains("unknown key \"disk\""))
        #expect(error.all[1].message.contains("use a whole number followed by KB, MB or GB"))
        #expect(error.all[2].message.contains("whole seconds"))
        #expect(error.all[3].message.contains("out of range"))
        let huge = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    limits: { memory: 99999999999GB }\n"))
        #expect(huge.keyPath == "tasks.t.limits.memory" && huge.message.contains("1MB to 1024GB"))
    }

    @Test("limits: on an http task is an error at the key")
    func httpTask() throws {
        let error = try #require(parseError("tasks:\n  t:\n    http: \"http://127.0.0.1:1/\"\n    limits: { cpu: 1s }\n"))
        #expect(error.line == 4 && error.column == 5 && error.keyPath == "tasks.t.limits")
        #expect(error.message.contains("command and shell tasks only"))
    }

    @Test("a Python program over its memory or open files limit fails naming the limit, with its standard error", arguments: [
        ("b = bytearray(500 * 1024 * 1024)", "memory: 100MB", "exceeded its memory limit of 100 MB", "MemoryError"),
        ("files = [open('/dev/null') for _ in range(100)]", "files: 16", "exceeded its open files limit of 16", "Too many open files"),
    ])
    func pythonOverLimit(program: String, limit: String, reason: String, stderr: String) async throws {
        let yaml = """
            tasks:
              greedy:
                command: ["\(try await Python.path())", "-c", "\(program)"]
                limits: { \(limit) }
                retry: 1
            """
        try await LiveProject.run(yaml) { project in
            let run = try await project.runToEnd("greedy")
            #expect(run.status == .failed)
            let message = run.error?.message ?? ""
            #expect(message.contains(reason) && message.contains(stderr), "\(message)")
        }
    }

    @Test("a CPU-bound loop over its CPU time limit fails naming the limit")
    func cpu() async throws {
        let yaml = """
            tasks:
              spin:
                shell: "while :; do :; done"
                limits: { cpu: 1s }
                timeout: 5m
                retry: 1
            """
        try await LiveProject.run(yaml) { project in
            let run = try await project.runToEnd("spin")
            #expect(run.status == .failed)
            let message = run.error?.message ?? ""
            #expect(message.contains("/bin/sh exceeded its CPU time limit of 1 s"), "\(message)")
            #expect(message.contains("SIGXCPU"), "\(message)")
        }
    }

    @Test("a command within its limits runs as usual, with its arguments and payload")
    func withinLimits() async throws {
        let yaml = """
            tasks:
              fine:
                command: ["/bin/sh", "-c", "printf '[\\"%s\\",%s]' \\"$1\\" \\"$(cat)\\"", "sh", "two words"]
                limits: { memory: 256MB, cpu: 10s, files: 32 }
            """
        try await LiveProject.run(yaml) { project in
            let run = try await project.runToEnd("fine", payload: #"{"a":1}"#)
            #expect(run.status == .completed)
            #expect(run.resultJSON == .array([.string("two words"), .object(["a": .integer(1)])]))
        }
    }

    @Test("a failure without a sign of a limit keeps the usual message")
    func unrelatedFailure() {
        let limits = ResourceLimits(memoryBytes: 64 << 20, cpuSeconds: 2, openFiles: 16)
        #expect(limits.exceeded(status: .exited(3), stderr: "no such file", cpuTime: .milliseconds(10)) == nil)
        #expect(limits.exceeded(status: .signaled(SIGTERM), stderr: "", cpuTime: .seconds(5)) == nil)
        #expect(limits.exceeded(status: .signaled(SIGXCPU), stderr: "", cpuTime: .seconds(2)) == "CPU time limit of 2 s")
        #expect(limits.exceeded(status: .exited(1), stderr: "std::bad_alloc", cpuTime: nil) == "memory limit of 64 MB")
    }
}

/// The Python interpreter the limits tests run (its real path, not a version manager's shim,
/// so the limits apply to Python itself).
enum Python {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "these tests need python3 in PATH (the CI image has it)" }
    }

    /// Asks `python3` (found in PATH) for its own path. Started with ``ChildProcess`` (the
    /// command tasks' `posix_spawn`), not Foundation's `Process`, whose `run()` can crash this
    /// toolchain's test process (see `HelperProcess`).
    static func path() async throws -> String {
        let child: ErrandConfig.ChildProcess
        do {
            child = try ChildProcess.start(
                executable: "/usr/bin/env", arguments: ["env", "python3", "-c", "import sys; print(sys.executable)"],
                environment: ProcessInfo.processInfo.environment, workingDirectory: "/", stdin: []
            )
        } catch {
            throw Missing()
        }
        let outcome = await child.wait()
        let path = String(decoding: outcome.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.status == .exited(0), !path.isEmpty else { throw Missing() }
        return path
    }
}
