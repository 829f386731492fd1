/// What a finished child process left: how it ended and what it wrote.
struct ProcessOutcome: Sendable {
    /// How it ended.
    var status: ExitStatus
    /// The CPU time (user plus system) the process used; `nil` when its status was lost.
    var cpuTime: Duration?
    /// Standard output, at most ``ChildProcess/stdoutLimit`` bytes.
    var stdout: [UInt8]
    /// Whether standard output was longer than the limit (the rest was read and dropped).
    var stdoutOverflowed: Bool
    /// The end of standard error (progress lines left out), on line boundaries.
    var stderrTail: String
}
