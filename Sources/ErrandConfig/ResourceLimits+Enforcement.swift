import Glibc

extension ResourceLimits {
    /// The argument vector that starts `executable` with `arguments` (program name first) under
    /// these limits.
    ///
    /// How: `/bin/sh -c 'ulimit -v KB; ulimit -S -t SEC; ulimit -H -t SEC+1; ulimit -n N; exec "$0" "$@"' program
    /// args…`. The shell sets the limits on itself (soft and hard) and then `exec`s the program,
    /// so the program inherits them from its first instruction. Simpler-looking ways are worse:
    /// `posix_spawn` has no attribute for resource limits; `fork` followed by `setrlimit` in a
    /// multithreaded Swift process may deadlock in the child (only async-signal-safe calls are
    /// allowed there, and Swift code gives no such guarantee); `prlimit` on the child's pid after
    /// `posix_spawn` returns races with the program, which may allocate or open files before the
    /// limits apply; and the `prlimit` tool is not installed everywhere, while `/bin/sh` is. The
    /// cost is one `exec` more per attempt, and the program sees its resolved path as `argv[0]`.
    /// A limit above the server's hard limit cannot be set: the attempt then fails with status
    /// 125 and a message saying so.
    func wrap(executable: String, arguments: [String]) -> (executable: String, arguments: [String]) {
        var steps: [String] = []
        func limit(_ flag: String, _ value: Int, _ name: String, softOnly: Bool = false) {
            steps.append(
                "ulimit \(softOnly ? "-S " : "")-\(flag) \(value) 2>/dev/null || { echo \"errand: cannot set the \(name) limit to \(value) (the server's hard limit is $(ulimit -H -\(flag)))\" >&2; exit 125; }"
            )
        }
        if let memoryBytes { limit("v", max(1, memoryBytes / 1024), "memory (KB)") }
        if let cpuSeconds {
            // Soft limit N, hard limit N + 1: the kernel sends SIGXCPU at N, which ends the program
            // unless it handles the signal, and SIGKILL at N + 1. With both at N (what a bare
            // `ulimit -t` sets) the kernel sends SIGKILL at once, which looks like any other kill.
            // Lowering the hard limit fails only when it is already N, which is as good.
            limit("t", cpuSeconds, "CPU time (s)", softOnly: true)
            steps.append("ulimit -H -t \(cpuSeconds + 1) 2>/dev/null")
        }
        if let openFiles { limit("n", openFiles, "open files") }
        let script = (steps + ["exec \"$0\" \"$@\""]).joined(separator: "; ")
        return ("/bin/sh", ["/bin/sh", "-c", script, executable] + arguments.dropFirst())
    }

    /// The limit a failed process passed, as `CPU time limit of 2 s`, or `nil` when its failure
    /// shows no sign of one.
    ///
    /// - CPU time: killed by `SIGXCPU`, or by `SIGKILL` after using at least the limit.
    /// - Open files: `Too many open files` (`EMFILE`) on standard error.
    /// - Memory: an out-of-memory message on standard error (`MemoryError`, `Cannot allocate
    ///   memory`, `out of memory`, `bad_alloc`), or death by a signal that failed allocations end
    ///   in (`SIGSEGV`, `SIGBUS`, `SIGABRT`, `SIGKILL`).
    ///
    /// A SIGKILL counts as the CPU limit when the process used at least 80% of it: the kernel
    /// enforces the limit on its precise run time, while `wait4` reports tick-sampled user and
    /// system time, which on a loaded machine can come out lower.
    func exceeded(status: ExitStatus, stderr: String, cpuTime: Duration?) -> String? {
        if let cpuSeconds, case .signaled(let signal) = status,
            signal == SIGXCPU || (signal == SIGKILL && (cpuTime ?? .zero) * 5 >= .seconds(cpuSeconds) * 4) {
            return "CPU time limit of \(cpuSeconds) s"
        }
        let text = stderr.lowercased()
        if let openFiles, text.contains("too many open files") {
            return "open files limit of \(openFiles)"
        }
        if let memoryBytes {
            let signs = ["memoryerror", "cannot allocate memory", "out of memory", "bad_alloc"]
            let signaled: Bool = if case .signaled(let signal) = status { [SIGSEGV, SIGBUS, SIGABRT, SIGKILL].contains(signal) } else { false }
            if signaled || signs.contains(where: text.contains) {
                return "memory limit of \(Self.describe(bytes: memoryBytes))"
            }
        }
        return nil
    }
}
