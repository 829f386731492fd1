import Foundation
import Glibc
import Synchronization

@testable import ErrandConfig

/// A running process (`errand`, or another program) whose standard output and error go to files.
///
/// Started with `posix_spawn`, not Foundation's `Process`: on Linux, `Process.run()` in the
/// toolchain these tests run on reads past the end of its `readdir` buffer while it lists
/// `/proc/self/fd`, and crashes the test process when that buffer ends a mapping (seen twice in
/// full runs, in `Process.run()` → `memcpy`, with other tests holding many descriptors; fixed in
/// swift-corelibs-foundation #5472). A dedicated thread waits for the process (not one of the
/// cooperative pool's few).
final class ChildProcess: Sendable {
    /// The process id.
    let pid: pid_t
    /// Where its standard output goes.
    let stdoutURL: URL
    /// Where its standard error goes.
    let stderrURL: URL
    private let exit = Mutex<(status: Int32?, waiters: [CheckedContinuation<Void, Never>])>((nil, []))

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
        guard let status = exit.withLock({ $0.status }) else { return 0 }
        return Self.signal(status) ?? (status >> 8) & 0xff
    }

    /// Whether a signal ended the process.
    var terminatedBySignal: Bool { exit.withLock { $0.status }.map { Self.signal($0) != nil } ?? false }

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

    /// Starts `command` (its executable's path first) with `posix_spawn`: standard input, output
    /// and error opened from the paths given (output files created or emptied), in `directory`
    /// when given, with this process's environment, no other descriptor, and signals as the
    /// command tasks start with them (``Spawn/resetSignals(_:flags:)``: the spawning thread's
    /// mask and this process's ignored signals would otherwise carry over). Returns its pid.
    static func spawn(_ command: [String], directory: String?, stdin: String, stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else is inherited: a child may outlive the test (a restarted server), and an
        // inherited descriptor (a CI runner's output pipe, a build lock) would stay open with it.
        // (`addclosefrom` is a glibc 2.34 extension Swift's Glibc does not declare; the change of
        // directory and the signal set-up are the command tasks' own, from `Spawn`.)
        _ = addCloseFrom(&actions, 3)
        if let directory { _ = Spawn.addChdir(&actions, directory) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        Spawn.resetSignals(&attributes)
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, arguments, environ)
        guard spawned == 0 else { throw SpawnFailed(command: command, error: spawned) }
        return pid
    }

    /// Waits (blocking the calling thread) for `pid` to exit; returns its wait status, or -1 when
    /// its status could not be collected (then neither an exit code of 0 nor a signal).
    static func waitBlocking(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return status }
            if errno != EINTR { return -1 }
        }
    }

    /// The signal that ended a process, from its wait status (`WIFSIGNALED`/`WTERMSIG`).
    private static func signal(_ status: Int32) -> Int32? {
        let low = status & 0x7f
        return low != 0 && low != 0x7f ? low : nil
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom = GlibcSymbol.load("posix_spawn_file_actions_addclosefrom_np")

    /// `posix_spawn` failed.
    struct SpawnFailed: Error, CustomStringConvertible {
        var command: [String]
        var error: Int32
        var description: String { "could not start \(command[0]): \(String(cString: strerror(error)))" }
    }
}
