import Foundation
import Synchronization

/// The requests a ``TestHTTPServer`` received, in order.
final class RequestLog: Sendable {
    /// One request as received.
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data

        /// The body as a JSON object.
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    private let requests = Mutex<[Request]>([])

    func append(_ request: Request) { requests.withLock { $0.append(request) } }

    var all: [Request] { requests.withLock { $0 } }
}
