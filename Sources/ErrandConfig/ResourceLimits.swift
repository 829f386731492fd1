/// Operating-system limits on the process of a `command:` or `shell:` task (`limits:`), applied
/// to the child before it starts the program (see ``ProjectRunner``).
///
/// ```yaml
/// limits: { memory: 256MB, cpu: 30s, files: 64 }
/// ```
///
/// An attempt whose process passes a limit fails with an error naming it, for example
/// `./bin/crunch exceeded its CPU time limit of 30 s`.
public struct ResourceLimits: Sendable, Hashable {
    /// The most virtual memory (address space) the process may map, in bytes (`ulimit -v`,
    /// `RLIMIT_AS`); `nil` for no limit. Allocations past it fail (`ENOMEM`).
    public var memoryBytes: Int?
    /// The most CPU time (user plus system) the process may use, in whole seconds (`ulimit -t`,
    /// `RLIMIT_CPU`); `nil` for no limit. Past it the process is killed.
    public var cpuSeconds: Int?
    /// The most files the process may have open at once (`ulimit -n`, `RLIMIT_NOFILE`); `nil` for
    /// no limit. Opening more fails with `EMFILE` ("Too many open files").
    public var openFiles: Int?

    /// Limits; `nil` leaves a resource as the server's own limit.
    public init(memoryBytes: Int? = nil, cpuSeconds: Int? = nil, openFiles: Int? = nil) {
        self.memoryBytes = memoryBytes
        self.cpuSeconds = cpuSeconds
        self.openFiles = openFiles
    }

    /// Whether no limit is set.
    public var isEmpty: Bool { memoryBytes == nil && cpuSeconds == nil && openFiles == nil }

    /// `64 MB`, `1.5 GB`, `512 KB`: a byte count in the largest unit that keeps it readable.
    static func describe(bytes: Int) -> String {
        for (unit, size) in [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)] where bytes >= size {
            let value = Double(bytes) / Double(size)
            return value == value.rounded() ? "\(Int(value)) \(unit)" : "\((value * 10).rounded() / 10) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
