import Logging
import Synchronization

/// A log handler that keeps the messages logged at its level (warning by default) or above, for
/// tests of what code logs.
///
/// ```swift
/// let warnings = RecordedLog()
/// let logger = Logger(label: "test") { _ in warnings }
/// // … run code that logs with `logger` …
/// #expect(warnings.messages.isEmpty)
/// ```
public struct RecordedLog: LogHandler {
    private let storage = Storage()
    /// Metadata, as `LogHandler` requires (not recorded).
    public var metadata: Logger.Metadata = [:]
    /// The lowest level recorded.
    public var logLevel: Logger.Level

    /// A handler that records messages at `logLevel` or above.
    public init(logLevel: Logger.Level = .warning) {
        self.logLevel = logLevel
    }

    /// The messages logged so far, oldest first (copies of a handler share them).
    public var messages: [String] { storage.messages.withLock { $0 } }

    /// Metadata for one key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Records the message.
    public func log(event: LogEvent) {
        storage.messages.withLock { $0.append(event.message.description) }
    }

    private final class Storage: Sendable {
        let messages = Mutex<[String]>([])
    }
}
