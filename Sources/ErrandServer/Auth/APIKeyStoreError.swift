/// A problem with API keys: a bad or duplicate name, an unknown key, an unreadable key file.
public struct APIKeyStoreError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
