import Errand
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// Writing server-sent events: `event:`/`data:` messages, keep-alive comments, and a loop that
/// merges run events with a periodic tick.
enum ServerSentEvents {
    /// What a stream loop wakes up for.
    enum Item: Sendable {
        case event(RunEvent)
        case tick
    }

    /// The response headers of a stream.
    static let headers: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// One message: `event: NAME`, the JSON on one `data:` line, a blank line.
    static func message<Value: Encodable>(_ name: String, _ value: Value) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return message(name, json: try encoder.encode(value))
    }

    /// One message with JSON already encoded (JSON text has no raw newlines).
    static func message(_ name: String, json: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("event: \(name)\ndata: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }

    /// The keep-alive comment.
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")

    /// Calls `body` for every event of `events` and every `tick` interval until it returns
    /// `false`, the events end, the task is cancelled or a graceful shutdown starts; then stops
    /// both sources.
    static func loop(
        events: AsyncStream<RunEvent>, tick: Duration, _ body: (Item) async throws -> Bool
    ) async throws {
        let (items, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingNewest(10_000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events { continuation.yield(.event(event)) }
                continuation.finish()
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: tick)
                    continuation.yield(.tick)
                }
            }
            defer { group.cancelAll() }
            // A graceful shutdown ends the stream, so an open stream never holds the server up.
            try await withGracefulShutdownHandler {
                for await item in items {
                    guard try await body(item) else { break }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
        }
    }
}
