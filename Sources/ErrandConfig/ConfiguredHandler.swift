/// What executes the attempts of a task declared in a project file.
public enum ConfiguredHandler: Sendable, Hashable {
    /// A program started with an argument vector, without a shell (`command:`).
    case command(CommandSpec)
    /// A command line run by `/bin/sh -c` (`shell:`); the spec's arguments are
    /// `["/bin/sh", "-c", line]`.
    case shell(CommandSpec)
    /// An HTTP endpoint that receives each attempt as JSON (`http:`).
    case http(HTTPEndpoint)

    /// The handler's kind as written in the file: `command`, `shell` or `http`.
    public var kind: String {
        switch self {
        case .command: "command"
        case .shell: "shell"
        case .http: "http"
        }
    }
}
