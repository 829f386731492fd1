/// Who made a request: the API key's name and scope, and how it was presented.
public struct Principal: Sendable, Hashable {
    /// How the credentials came.
    public enum Method: Sendable, Hashable {
        /// `Authorization: Bearer <key>`.
        case bearer
        /// The dashboard's session cookie.
        case session(id: String)
    }

    /// The key's name.
    public var keyName: String
    /// What the key may do.
    public var scope: APIKeyScope
    /// How the credentials came.
    public var method: Method
}
