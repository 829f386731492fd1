import Errand
import Foundation
import Hummingbird

extension Request {
    /// The body, read up to `limit` bytes; `nil` when empty. A larger body is a 413 naming its size
    /// when the client declared it.
    func collectBody(limit: Int) async throws -> Data? {
        if let declared = headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.bodyTooLarge(size: declared, limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.bodyTooLarge(size: nil, limit: limit)
        }
        guard buffer.readableBytes > 0 else { return nil }
        return Data(buffer.readableBytesView)
    }

    /// The body as a JSON object (400 for malformed JSON or another JSON type); `nil` when empty.
    func jsonObject(limit: Int) async throws -> JSONObject? {
        guard let data = try await collectBody(limit: limit) else { return nil }
        return try JSONObject.parse(data)
    }

    /// The body as a JSON object; 400 naming the expected fields when empty.
    func requiredJSONObject(limit: Int, expected: String) async throws -> JSONObject {
        guard let object = try await jsonObject(limit: limit) else {
            throw APIError.invalid("body", "the request body is empty: send a JSON object \(expected)")
        }
        return object
    }
}
