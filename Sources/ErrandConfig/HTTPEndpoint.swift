/// The endpoint of an `http:` task: each attempt is sent to it as JSON.
///
/// See ``ProjectRunner`` for the protocol.
public struct HTTPEndpoint: Sendable, Hashable {
    /// The URL (`http` or `https`).
    public var url: String
    /// The method, upper case (`POST` by default).
    public var method: String
    /// Headers sent with every request, in file order.
    public var headers: [Header]
    /// The longest one request may take; `nil` = the task's attempt timeout.
    public var timeout: Duration?

    /// One header.
    public struct Header: Sendable, Hashable {
        /// The header's name.
        public var name: String
        /// The header's value.
        public var value: String

        /// Creates a header.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The methods a task may use.
    public static let allowedMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// Describes an endpoint.
    public init(url: String, method: String = "POST", headers: [Header] = [], timeout: Duration? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.timeout = timeout
    }
}
