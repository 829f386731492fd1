import Foundation
import Glibc
import Synchronization

import ErrandConfig

/// A running process (`errand`, or another program) whose standard output and error go to files.
///
/// Started with ``ErrandConfig/HelperProcess``, not Foundation's `Process` (whose `run()` crashed
/// the test process twice in full runs, in `Process.run()` → `memcpy`: see `HelperProcess`). A
/// dedicated thread waits for the process (not one of the cooperative pool's few).
final class ChildProcess: Sendable {
    /// The process id.
    let pid: pid_t
    /// Where its standard output goes.
    let stdoutURL: URL
    /// Where its standard error goes.
    let stderrURL: URL
    private let exit = Mutex<(status: ExitStatus?, waiters: [CheckedContinuation<Void, Never>])>((nil, []))

    /// Starts `errand` with `arguments` in `directory`, writing its output to files there named
    /// after `label`.
    convenience init(_ arguments: [String], in directory: URL, label: String) throws {
        try self.init(executable: try ErrandBinary.url().path, arguments, in: directory, label: label)
    }

    /// Starts `executable` with `arguments` in `directory`, writing its output to files there
    /// named after `label`.
    init(executable: String, _ arguments: [String], in directory: URL, label: String) throws {
        stdoutURL = directory.appendingPathComponent("\(label).stdout")
        stderrURL = directory.appendingPathComponent("\(label).stderr")
        pid = try Self.spawn(
            [executable] + arguments, directory: directory.path, stdin: "/dev/null", stdout: stdoutURL.path, stderr: stderrURL.path
        )
        let thread = Thread { [self] in
            let status = Self.waitBlocking(pid)
            let waiters = exit.withLock { state in
                state.status = status
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = "child-\(pid)"
        thread.start()
    }

    /// What the process wrote to standard output so far.
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

    /// What the process wrote to standard error so far.
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Whether the process has not exited yet.
    var isRunning: Bool { exit.withLock { $0.status == nil } }

    /// Its exit status, or the signal that ended it (as Foundation's `Process` reports it); 0
    /// while it runs, 255 when its status was lost.
    var terminationStatus: Int32 {
        switch exit.withLock({ $0.status }) {
        case nil: return 0
        case .exited(let code): return code
        case .signaled(let signal): return signal
        case .lost: return 255
        }
    }

    /// Whether a signal ended the process.
    var terminatedBySignal: Bool {
        if case .signaled = exit.withLock({ $0.status }) { return true }
        return false
    }

    /// Waits until the process exits; after `timeout` it is killed (SIGKILL) and `false` returned.
    func waitForExit(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.exited()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first { kill(pid, SIGKILL) }
            group.cancelAll()
            return first
        }
    }

    private func exited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = exit.withLock { state in
                if state.status == nil { state.waiters.append(continuation) }
                return state.status != nil
            }
            if done { continuation.resume() }
        }
    }

    /// Starts `command` (its executable's path first) with ``HelperProcess/spawn(_:directory:stdin:stdout:stderr:)``:
    /// standard input, output and error opened from the paths given (output files created or
    /// emptied), in `directory` when given. Returns its pid.
    static func spawn(_ command: [String], directory: String?, stdin: String, stdout: String, stderr: String) throws -> pid_t {
        try HelperProcess.spawn(command, directory: directory, stdin: .file(stdin), stdout: .file(stdout), stderr: .file(stderr))
    }

    /// Waits (blocking the calling thread) for `pid` to exit; returns how it ended.
    static func waitBlocking(_ pid: pid_t) -> ExitStatus { HelperProcess.waitBlocking(pid) }
}
