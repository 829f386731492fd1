import Glibc

/// The three pipes of a child's standard streams. Every descriptor is close-on-exec, so a
/// process spawned at the same time by another thread never inherits one (only the child's own
/// copies, duplicated onto 0, 1 and 2 by `posix_spawn`, survive its `exec`); Errand's ends are
/// non-blocking for the I/O loop's `poll`.
struct SpawnPipes: Sendable {
    let stdinRead: Int32, stdinWrite: Int32
    let stdoutRead: Int32, stdoutWrite: Int32
    let stderrRead: Int32, stderrWrite: Int32

    init() throws {
        let input = try Self.makePipe()
        let output: (read: Int32, write: Int32)
        do { output = try Self.makePipe() } catch {
            Self.close(input.read, input.write)
            throw error
        }
        let error: (read: Int32, write: Int32)
        do { error = try Self.makePipe() } catch {
            Self.close(input.read, input.write, output.read, output.write)
            throw error
        }
        (stdinRead, stdinWrite) = input
        (stdoutRead, stdoutWrite) = output
        (stderrRead, stderrWrite) = error
        for fd in [stdinWrite, stdoutRead, stderrRead] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
    }

    /// After the spawn: closes the child's ends in this process, so end of file arrives when the
    /// child's copies close.
    func closeChildEnds() {
        Self.close(stdinRead, stdoutWrite, stderrWrite)
    }

    /// When the spawn failed.
    func closeAll() {
        Self.close(stdinRead, stdinWrite, stdoutRead, stdoutWrite, stderrRead, stderrWrite)
    }

    private static func close(_ fds: Int32...) {
        for fd in fds { _ = Glibc.close(fd) }
    }

    /// `pipe2(O_CLOEXEC)`. Swift's Glibc module leaves out GNU extensions, so it is looked up at
    /// run time (glibc has had it since 2.9).
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe2(&fds, O_CLOEXEC) == 0 else {
            throw CommandFailure("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        return (fds[0], fds[1])
    }

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private static let pipe2: Pipe2 = GlibcSymbol.load("pipe2")
}
