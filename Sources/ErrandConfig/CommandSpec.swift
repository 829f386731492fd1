/// How to start the process of a `command:` or `shell:` task.
///
/// See ``ProjectRunner`` for the protocol between Errand and the process.
public struct CommandSpec: Sendable, Hashable {
    /// The argument vector; the first element is the program: a path with a slash (the parser
    /// makes a relative one absolute from the project file's folder; one given by hand starts at
    /// ``workingDirectory``), or a bare name looked up in `PATH` when the process starts.
    public var arguments: [String]
    /// Variables added to the environment Errand runs with (`env:`).
    public var environment: [String: String]
    /// The absolute folder the process starts in (`workingDirectory:`, by default the project
    /// file's folder).
    public var workingDirectory: String
    /// Operating-system limits on the process (`limits:`); empty for none.
    public var limits: ResourceLimits

    /// Describes a process to start.
    public init(
        arguments: [String], environment: [String: String] = [:], workingDirectory: String, limits: ResourceLimits = ResourceLimits()
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.limits = limits
    }
}
