import Foundation
import Glibc
import Synchronization

/// A child process started with `posix_spawn` in a process group of its own, its standard input
/// fed from memory and its standard output and error read into memory.
///
/// Threads: each child gets two dedicated threads (not the cooperative pool's): a *waiter* blocked
/// in `waitid` until the process exits, and an *I/O loop* (``ProcessIOLoop``) that `poll`s the
/// non-blocking pipes, writes the payload, reads the outputs and hands standard-error lines to
/// ``stderrLines``. Blocking reads and waits would hold threads of Swift's small cooperative pool
/// for as long as a command runs (minutes), starving every other task; and `DispatchSource`
/// process sources do not exist on Linux. Two short-lived threads per running command is cheap
/// next to the process itself. Async code only awaits ``wait()`` (a continuation) and the stream.
///
/// Process group: the child is its group's leader (`POSIX_SPAWN_SETPGROUP`, group 0), so
/// ``terminate(grace:)`` signals everything it started. When the leader exits, whatever it left
/// in its group is killed (`SIGKILL`), so a task never leaves processes behind. The waiter does
/// that *before* reaping the leader (`waitid` with `WNOWAIT`), under the same lock as
/// ``terminate(grace:)``, so the group id is never signalled after it could have been reused.
final class ChildProcess: Sendable {
    /// The most standard output kept: the 64 KB result limit plus one byte to detect overflow.
    static let stdoutLimit = 64 * 1024 + 1
    /// How long the I/O loop still reads after the leader exited and its group was killed
    /// (a process that left the group could keep the pipes open forever).
    static let drainTime: Int32 = 1000

    /// The process id (and process group id).
    let pid: pid_t
    /// Standard error, line by line (progress lines parsed); finishes when the I/O loop ends.
    let stderrLines: AsyncStream<StderrLine>

    private struct State {
        /// Set (under the lock) right after the leader is reaped; no signal is sent after that.
        var reaped = false
        var exitStatus: ExitStatus?
        var cpuTime: Duration?
        var outcome: ProcessOutcome?
        var waiter: CheckedContinuation<ProcessOutcome, Never>?
    }

    private let state = Mutex(State())

    private init(pid: pid_t, stderrLines: AsyncStream<StderrLine>) {
        self.pid = pid
        self.stderrLines = stderrLines
    }

    /// Starts a process and its threads.
    ///
    /// - Parameters:
    ///   - executable: the absolute path of the program.
    ///   - arguments: the argument vector, program name first.
    ///   - environment: the whole environment.
    ///   - workingDirectory: where it starts.
    ///   - stdin: written to standard input, which is then closed.
    /// - Throws: ``CommandFailure`` when the process cannot start.
    static func start(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String, stdin: [UInt8]
    ) throws -> ChildProcess {
        let pipes = try SpawnPipes()
        let wake: (read: Int32, write: Int32)
        do { wake = try SpawnPipes.makePipe() } catch {
            pipes.closeAll()
            throw error
        }
        let pid: pid_t
        do {
            pid = try Spawn.run(
                executable: executable, arguments: arguments, environment: environment,
                workingDirectory: workingDirectory, pipes: pipes
            )
        } catch {
            pipes.closeAll()
            close(wake.read)
            close(wake.write)
            throw error
        }
        pipes.closeChildEnds()
        let (stream, continuation) = AsyncStream.makeStream(of: StderrLine.self, bufferingPolicy: .bufferingNewest(4096))
        let child = ChildProcess(pid: pid, stderrLines: stream)
        let waiter = Thread { child.awaitExit(wakeFD: wake.write) }
        waiter.name = "errand-wait-\(pid)"
        waiter.start()
        let io = Thread {
            var loop = ProcessIOLoop(
                stdinFD: pipes.stdinWrite, stdoutFD: pipes.stdoutRead, stderrFD: pipes.stderrRead, wakeFD: wake.read,
                input: stdin, lines: continuation
            )
            let output = loop.run()
            close(wake.read)
            continuation.finish()
            child.ioFinished(output)
        }
        io.name = "errand-io-\(pid)"
        io.start()
        return child
    }

    /// Waits for the process to end and its output to be read.
    func wait() async -> ProcessOutcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> ProcessOutcome? in
                if let outcome = state.outcome { return outcome }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Asks the whole process group to stop (`SIGTERM`), then kills it (`SIGKILL`) if the leader
    /// is still running after `grace`.
    func terminate(grace: Duration) {
        guard signalGroup(SIGTERM) else { return }
        let nanoseconds = Int(grace.components.seconds) * 1_000_000_000 + Int(grace.components.attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
            _ = signalGroup(SIGKILL)
        }
    }

    /// Sends a signal to the process group unless the leader was reaped. Returns whether it did.
    @discardableResult
    private func signalGroup(_ signal: Int32) -> Bool {
        state.withLock { state in
            guard !state.reaped else { return false }
            kill(-pid, signal)
            return true
        }
    }

    /// The waiter thread: waits for the leader to exit, kills what it left in its group, reaps
    /// it, then wakes the I/O loop.
    private func awaitExit(wakeFD: Int32) {
        var info = siginfo_t()
        var result: Int32
        repeat {
            result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT)
        } while result != 0 && errno == EINTR
        state.withLock { state in
            if result == 0 {
                kill(-pid, SIGKILL)
                var status: Int32 = 0
                var usage = rusage()
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                state.exitStatus = ExitStatus(waitStatus: status)
                state.cpuTime = Self.duration(usage.ru_utime) + Self.duration(usage.ru_stime)
            } else {
                // ECHILD: reaped by someone else, so the group id may be reused: signal nothing.
                state.exitStatus = .lost
            }
            state.reaped = true
        }
        var byte: UInt8 = 1
        _ = write(wakeFD, &byte, 1)
        close(wakeFD)
    }

    private static func duration(_ time: timeval) -> Duration {
        .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
    }

    private func ioFinished(_ output: ProcessIOLoop.Output) {
        let (outcome, waiter) = state.withLock { state -> (ProcessOutcome, CheckedContinuation<ProcessOutcome, Never>?) in
            let outcome = ProcessOutcome(
                status: state.exitStatus ?? .lost, cpuTime: state.cpuTime, stdout: output.stdout,
                stdoutOverflowed: output.stdoutOverflowed, stderrTail: output.stderrTail
            )
            state.outcome = outcome
            defer { state.waiter = nil }
            return (outcome, state.waiter)
        }
        waiter?.resume(returning: outcome)
    }
}
