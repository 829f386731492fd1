import ErrandConfig
import Foundation

/// A benchmark phase running in a fresh process of this executable (`errand bench-phase …`),
/// started with ``ErrandConfig/HelperProcess`` (not Foundation's `Process`, whose `run()` can
/// crash on this toolchain). Its standard error is this process's; its standard output and input
/// are pipes when asked for. Used by one task at a time (the orchestrator's).
final class PhaseProcess {
    /// The process id.
    let pid: pid_t
    /// Its standard output, line by line; `nil` when it writes to this process's.
    private var output: PipeLines?
    /// The write end of its standard input; `nil` when it has this process's, or once closed.
    private var input: Int32?
    /// How it ended, once collected.
    private var status: ExitStatus?

    /// Starts `errand` with `arguments`.
    ///
    /// - Throws: ``ErrandConfig/CommandFailure`` when it cannot start.
    init(_ arguments: [String], pipeInput: Bool = false, pipeOutput: Bool = true) throws {
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        var stdin = HelperProcess.Stream.inherited, stdout = HelperProcess.Stream.inherited
        var input: Int32?, output: Int32?
        if pipeInput {
            let pipe = try HelperProcess.makePipe()
            opened += [pipe.read, pipe.write]
            (stdin, input) = (.descriptor(pipe.read), pipe.write)
        }
        if pipeOutput {
            let pipe = try HelperProcess.makePipe()
            opened += [pipe.read, pipe.write]
            (stdout, output) = (.descriptor(pipe.write), pipe.read)
        }
        pid = try HelperProcess.spawn([BenchProcess.executablePath] + arguments, stdin: stdin, stdout: stdout)
        // This process keeps its own ends; the child's are closed here (by the `defer`), so
        // end of file arrives when the child's copies close.
        opened.removeAll { $0 == input || $0 == output }
        self.input = input
        self.output = output.map { PipeLines(fileDescriptor: $0) }
    }

    /// Reads the next line of its standard output (blocking); `nil` at its end.
    func nextLine() -> String? { output?.next() }

    /// Closes its standard input (a worker phase then shuts down gracefully).
    func closeInput() {
        if let input { close(input) }
        input = nil
    }

    /// Waits (blocking) for it to exit; returns `nil` when it exited with status 0, otherwise how
    /// it ended ("exited with status 3", "was killed by signal 9 (SIGKILL)").
    func waitForExit() -> String? {
        let status = self.status ?? HelperProcess.waitBlocking(pid)
        self.status = status
        return status == .exited(0) ? nil : status.description
    }

    deinit { closeInput() }
}
