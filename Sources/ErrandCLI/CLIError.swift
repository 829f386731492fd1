import Errand

/// An error the CLI reports as `Error: <message>` and exits 1 for.
struct CLIError: Error, CustomStringConvertible {
    /// What went wrong, naming the value and what is allowed.
    var message: String

    /// Creates the error.
    init(_ message: String) { self.message = message }

    var description: String { message }

    /// The problem part of an error thrown while parsing an option's value, for the argument
    /// parser's `The value 'x' is invalid for '--option': <problem>`: an ``ErrandError``'s
    /// `invalid field "value": ` prefix is dropped, since the parser already names both.
    static func problem(_ error: any Error) -> CLIError {
        guard let error = error as? ErrandError else { return CLIError(String(describing: error)) }
        let message = error.message
        if message.hasPrefix("invalid "), let separator = message.range(of: "\": ") {
            return CLIError(String(message[separator.upperBound...]))
        }
        return CLIError(message)
    }
}
