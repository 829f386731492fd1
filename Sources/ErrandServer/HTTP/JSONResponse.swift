import Foundation
import Hummingbird

/// JSON responses.
enum JSONResponse {
    /// A response whose body is `value` as JSON.
    static func make<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return raw(try encoder.encode(value), status: status, headers: headers)
    }

    /// A response whose body is JSON already encoded.
    static func raw(_ data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = headers[.cacheControl] ?? "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The response of an API error.
    static func error(_ error: APIError) -> Response {
        // Encoding strings cannot fail.
        (try? make(ErrorBody(error), status: error.status, headers: error.headers)) ?? Response(status: error.status)
    }
}
