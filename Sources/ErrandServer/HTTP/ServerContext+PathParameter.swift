import Foundation
import Hummingbird

extension ServerContext {
    /// The route's `{name}` parameter, percent-decoded: the router keeps captures as sent, so a
    /// task named `resize image` arrives as `resize%20image` (the dashboard encodes every name
    /// it puts in a path). Malformed percent-encoding, or a control character, is a 400 naming
    /// the parameter.
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard raw.contains("%") else { return raw }
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.invalid(name, "invalid \(name) \"\(raw)\" in the path: malformed percent-encoding (use %XX for each UTF-8 byte)")
        }
        guard !decoded.containsControlCharacter else {
            throw APIError.invalid(name, "invalid \(name) \"\(raw)\" in the path: control characters (such as %00) are not allowed")
        }
        return decoded
    }
}
