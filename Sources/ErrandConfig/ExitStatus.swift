import Glibc

/// How a child process ended.
package enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// It exited with a status (0 = success).
    case exited(Int32)
    /// A signal killed it.
    case signaled(Int32)
    /// Something else in this process collected its status first (a `waitpid(-1, …)` elsewhere).
    case lost

    /// Decodes a `waitpid` status word (the `WIFEXITED`/`WTERMSIG` macros, which Swift does not
    /// import).
    package init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// `exited with status 3`, `was killed by signal 15 (SIGTERM)`.
    package var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "was killed by signal \(signal) (\(Self.name(of: signal)))"
        case .lost: "ended, but its exit status was collected elsewhere in this process"
        }
    }

    /// The conventional name of a signal.
    static func name(of signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
            SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}
