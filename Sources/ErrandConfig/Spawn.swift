import Glibc

/// `posix_spawn` of a child in a new process group, its standard streams on pipes.
enum Spawn {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    /// `posix_spawn_file_actions_addchdir_np` (a GNU extension Swift's `Glibc` does not declare).
    static let addChdir: AddChdir = GlibcSymbol.load("posix_spawn_file_actions_addchdir_np")

    /// Signals the child starts with the default action for, whatever this process does with them
    /// (a server may ignore `SIGPIPE`; ignored signals would otherwise survive `exec`).
    private static let defaultSignals: [Int32] = [
        SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM, SIGTTIN, SIGTTOU, SIGTSTP,
    ]

    /// Sets `attributes` (initialized) so the child starts with no blocked signal and the
    /// default action for ``defaultSignals``, whatever the spawning thread blocks and this
    /// process ignores, along with the other `POSIX_SPAWN_*` `flags`.
    static func resetSignals(_ attributes: inout posix_spawnattr_t, flags: Int32 = 0) {
        posix_spawnattr_setflags(&attributes, Int16(flags | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
    }

    /// Starts the child; returns its pid.
    ///
    /// - Throws: ``CommandFailure`` naming the program and the system's reason.
    static func run(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String, pipes: SpawnPipes
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes.stdinRead, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes.stdoutWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.stderrWrite, 2)
        _ = addChdir(&actions, workingDirectory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        resetSignals(&attributes, flags: POSIX_SPAWN_SETPGROUP)
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw CommandFailure("cannot start \(executable) in \(workingDirectory): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// The program to start: `program` itself when it has a slash (a relative path starts at
    /// `workingDirectory`, as `exec` after the change of directory would see it), else the first
    /// executable of that name in the `PATH` of `environment`.
    ///
    /// - Throws: ``CommandFailure`` when there is no such executable file.
    static func resolve(_ program: String, workingDirectory: String, environment: [String: String]) throws -> String {
        if program.contains("/") {
            let program = program.hasPrefix("/") ? program : "\(workingDirectory)/\(program)"
            guard access(program, X_OK) == 0 else {
                let reason = String(cString: strerror(errno))
                throw CommandFailure("cannot start \(program): \(reason)\(errno == EACCES ? " (is its executable bit set? chmod +x)" : "")")
            }
            return program
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw CommandFailure("cannot start \(program): no executable of that name in PATH (\(path))")
    }
}
