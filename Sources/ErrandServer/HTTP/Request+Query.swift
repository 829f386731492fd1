import Hummingbird

extension Request {
    /// The query string's parameters by name, each with every value given, in order.
    var queryValues: [String: [String]] {
        var values: [String: [String]] = [:]
        for (key, value) in uri.queryParameters { values[String(key), default: []].append(String(value)) }
        return values
    }
}
