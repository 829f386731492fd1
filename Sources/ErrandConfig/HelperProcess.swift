import Glibc

/// Starts Errand's own helper processes (the benchmark's phase processes, the test suite's
/// servers and workers) with `posix_spawn`, and waits for them.
///
/// Not Foundation's `Process`: on Linux, `Process.run()` in the swift-corelibs-foundation of
/// Swift 6.3 lists `/proc/self/fd` and copies each directory entry whole, which reads past the
/// end of glibc's `readdir` buffer and crashes the parent when that buffer ends a mapping (more
/// likely with many descriptors open; fixed upstream in swift-corelibs-foundation #5472).
///
/// A helper gets this process's environment, the standard streams asked for, no other
/// descriptor, no blocked signal and the default action for the signals
/// `Spawn.resetSignals(_:flags:)` names, whatever the spawning thread blocks and this process
/// ignores. It stays in this process's process group (unlike a command task's process).
package enum HelperProcess {
    /// Where one of a helper's standard streams goes.
    package enum Stream: Sendable {
        /// This process's own.
        case inherited
        /// A file: opened for reading as standard input; created (or emptied) for writing as
        /// standard output or error.
        case file(String)
        /// A descriptor of this process (a pipe's end), duplicated onto the stream.
        case descriptor(Int32)
    }

    /// Starts `command` (the executable's path first, then its arguments), in `directory` when
    /// given; returns its pid.
    ///
    /// - Throws: ``CommandFailure`` naming the program and the system's reason.
    package static func spawn(
        _ command: [String], directory: String? = nil, stdin: Stream = .inherited, stdout: Stream = .inherited,
        stderr: Stream = .inherited
    ) throws -> pid_t {
        guard let program = command.first else { throw CommandFailure("cannot start a helper process: the command is empty") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .inherited: break
            case .file(let path):
                let flags = fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC
                posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0o644)
            case .descriptor(let own): posix_spawn_file_actions_adddup2(&actions, own, fd)
            }
        }
        // Nothing else is inherited: a helper may outlive this process (a restarted database
        // server), and an inherited descriptor (a CI runner's output pipe, a build lock, the
        // other end of another helper's pipe) would stay open with it. (Before glibc 2.34, only
        // the descriptors not marked close-on-exec are inherited.)
        _ = addCloseFrom?(&actions, 3)
        if let directory { _ = Spawn.addChdir(&actions, directory) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        Spawn.resetSignals(&attributes)
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, arguments, environ)
        guard spawned == 0 else { throw CommandFailure("cannot start \(program): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// A pipe whose ends are closed on `exec` (a helper gets the end given to it as a standard
    /// stream, and no other).
    ///
    /// - Throws: ``CommandFailure`` with the system's reason.
    package static func makePipe() throws -> (read: Int32, write: Int32) {
        try SpawnPipes.makePipe()
    }

    /// Waits (blocking the calling thread) for `pid` to exit; returns how it ended
    /// (``ExitStatus/lost`` when its status could not be collected).
    package static func waitBlocking(_ pid: pid_t) -> ExitStatus {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return ExitStatus(waitStatus: status) }
            if errno != EINTR { return .lost }
        }
    }

    /// How `pid` ended, if it has (collecting its status); `nil` while it runs.
    package static func endedStatus(_ pid: pid_t) -> ExitStatus? {
        var status: Int32 = 0
        while true {
            let collected = waitpid(pid, &status, WNOHANG)
            if collected == pid { return ExitStatus(waitStatus: status) }
            if collected == 0 { return nil }
            if errno != EINTR { return .lost }
        }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34; Swift's `Glibc` does not declare it).
    private static let addCloseFrom: AddCloseFrom? = GlibcSymbol.loadIfPresent("posix_spawn_file_actions_addclosefrom_np")
}
