import Errand
import HTTPTypes

/// An error the API answers with: a status and the JSON body `{"error":{"code","message","field"}}`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The stable code (`invalid_argument`, `unknown_task`, `not_found`, …).
    public var code: String
    /// What is wrong, naming the value and what is allowed.
    public var message: String
    /// The offending input, when there is one.
    public var field: String?
    /// Extra headers (`WWW-Authenticate` on 401).
    var headers: HTTPFields = [:]

    /// Creates an error.
    public init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The API error for an engine error: its code and field, with the status its code calls for.
    public init(_ error: ErrandError) {
        let status: HTTPResponse.Status = switch error.code {
        case .unknownTask, .runNotFound, .scheduleNotFound, .tokenNotFound: .notFound
        case .payloadTooLarge: .contentTooLarge
        case .invalidState, .duplicateTask, .tokenResolved: .conflict
        default: .badRequest
        }
        self.init(status: status, code: error.code.rawValue, message: error.message, field: error.field)
    }

    /// 400: a bad value in the request.
    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: ErrandError.Code.invalidArgument.rawValue, message: message, field: field)
    }

    /// 400: a body that is not JSON.
    static func malformedJSON(_ detail: String) -> APIError {
        APIError(status: .badRequest, code: "malformed_json", message: "the request body is not valid JSON: \(detail)", field: "body")
    }

    /// 413: a body over the limit.
    static func bodyTooLarge(size: Int?, limit: Int?) -> APIError {
        let size = size.map { "is \($0) bytes" } ?? "is too large"
        let limit = limit.map { "; at most \($0) bytes are accepted" } ?? ""
        return APIError(status: .contentTooLarge, code: "body_too_large", message: "the request body \(size)\(limit)", field: "body")
    }

    /// 404: nothing at this path or with this method.
    static func routeNotFound(method: HTTPRequest.Method, path: String) -> APIError {
        APIError(
            status: .notFound, code: "not_found",
            message: "no route \(method.rawValue) \(path): see /openapi.json for the routes"
        )
    }

    /// 405: the path exists, with other methods (listed in `Allow`).
    static func methodNotAllowed(method: HTTPRequest.Method, path: String, allowed: [String]) -> APIError {
        var error = APIError(
            status: .methodNotAllowed, code: "method_not_allowed",
            message: "\(path) does not accept \(method.rawValue): allowed are \(allowed.joined(separator: ", "))"
        )
        error.headers[.allow] = allowed.joined(separator: ", ")
        return error
    }

    /// 401: no or bad credentials.
    static func unauthenticated(_ message: String) -> APIError {
        var error = APIError(status: .unauthorized, code: "unauthenticated", message: message)
        error.headers[.wwwAuthenticate] = #"Bearer realm="errand""#
        return error
    }

    /// 403: the credentials do not allow this.
    static func forbidden(_ code: String, _ message: String) -> APIError {
        APIError(status: .forbidden, code: code, message: message)
    }

    /// 500 without details (they are logged, never sent).
    static let internalError = APIError(
        status: .internalServerError, code: "internal", message: "the server failed to answer this request; the error is in its log"
    )
}
