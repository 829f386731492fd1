import Glibc

/// The I/O of one child, run on a dedicated thread (see ``ChildProcess``): writes the input to
/// the child's standard input and closes it, reads standard output (bounded) and standard error
/// (split into lines, handed on as they come, with a bounded tail kept), until the child has
/// exited and both outputs reached end of file, or ``ChildProcess/drainTime`` after the exit.
///
/// `SIGPIPE` is blocked on this thread, so writing to a child that closed its standard input
/// fails with `EPIPE` instead of killing Errand.
struct ProcessIOLoop {
    /// What the loop read.
    struct Output {
        var stdout: [UInt8]
        var stdoutOverflowed: Bool
        var stderrTail: String
    }

    /// The longest standard-error line handed on; longer ones are cut into pieces of this size.
    static let maximumLineLength = 8192

    private var stdinFD: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    private let wakeFD: Int32
    private let input: [UInt8]
    private var written = 0
    private let lines: AsyncStream<StderrLine>.Continuation
    private var stdout: [UInt8] = []
    private var stdoutOverflowed = false
    private var partialLine: [UInt8] = []
    private var tail = StderrTail()
    private var exited = false

    init(stdinFD: Int32, stdoutFD: Int32, stderrFD: Int32, wakeFD: Int32, input: [UInt8], lines: AsyncStream<StderrLine>.Continuation) {
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
        self.wakeFD = wakeFD
        self.input = input
        self.lines = lines
    }

    /// Runs until done; closes the pipes it owns.
    mutating func run() -> Output {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        if input.isEmpty { closeStdin() }
        var drainDeadline: timespec?
        while stdoutFD >= 0 || stderrFD >= 0 || !exited {
            var fds: [pollfd] = []
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if !exited { fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)) }
            var timeout: Int32 = -1
            if let deadline = drainDeadline {
                timeout = Self.milliseconds(until: deadline)
                if timeout == 0 { break }
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == wakeFD {
                    exited = true
                    drainDeadline = Self.now(plusMilliseconds: ChildProcess.drainTime)
                } else if entry.fd == stdinFD {
                    writeInput()
                } else if entry.fd == stdoutFD {
                    readStdout()
                } else if entry.fd == stderrFD {
                    readStderr()
                }
            }
        }
        closeStdin()
        for fd in [stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        if !partialLine.isEmpty { emitLine(partialLine) }
        return Output(stdout: stdout, stdoutOverflowed: stdoutOverflowed, stderrTail: tail.text)
    }

    private mutating func writeInput() {
        let count = input.withUnsafeBytes { bytes in
            write(stdinFD, bytes.baseAddress! + written, bytes.count - written)
        }
        if count > 0 {
            written += count
            if written == input.count { closeStdin() }
        } else if count < 0 && errno != EAGAIN && errno != EINTR {
            closeStdin()  // EPIPE: the child does not read its input; that is its business
        }
    }

    private mutating func closeStdin() {
        if stdinFD >= 0 { close(stdinFD) }
        stdinFD = -1
    }

    private mutating func readStdout() {
        guard let chunk = Self.readChunk(&stdoutFD) else { return }
        let room = ChildProcess.stdoutLimit - stdout.count
        if chunk.count > room { stdoutOverflowed = true }
        stdout.append(contentsOf: chunk.prefix(max(0, room)))
    }

    private mutating func readStderr() {
        guard let chunk = Self.readChunk(&stderrFD) else { return }
        for byte in chunk {
            if byte == UInt8(ascii: "\n") {
                emitLine(partialLine)
                partialLine.removeAll(keepingCapacity: true)
            } else {
                partialLine.append(byte)
                if partialLine.count >= Self.maximumLineLength {
                    emitLine(partialLine)
                    partialLine.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    private mutating func emitLine(_ bytes: [UInt8]) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        let line = StderrLine(text)
        if case .progress = line {} else { tail.append(text) }
        lines.yield(line)
    }

    /// Reads what is available; `nil` when nothing was read. Closes the descriptor (and sets it
    /// to -1) at end of file or on an error.
    private static func readChunk(_ fd: inout Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 { return Array(buffer.prefix(count)) }
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return nil }
        close(fd)
        fd = -1
        return nil
    }

    private static func now(plusMilliseconds milliseconds: Int32) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(milliseconds) * 1_000_000
        return timespec(tv_sec: now.tv_sec + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
    }

    private static func milliseconds(until deadline: timespec) -> Int32 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let left = (Int(deadline.tv_sec) - Int(now.tv_sec)) * 1000 + (Int(deadline.tv_nsec) - Int(now.tv_nsec)) / 1_000_000
        return Int32(max(0, left))
    }
}
