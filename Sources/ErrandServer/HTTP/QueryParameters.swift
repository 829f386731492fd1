import Hummingbird

/// A route's query string, checked against the parameters it allows, with typed accessors whose
/// errors name the parameter, the value and what is allowed. An empty value means "not given"
/// (what a form with a blank field sends).
struct QueryParameters {
    /// Every value given, by name, in order.
    let values: [String: [String]]

    /// The query of `request`; 400 naming the first parameter not in `allowed`.
    init(_ request: Request, allowed: [String]) throws {
        try self.init(request.queryValues, allowed: allowed)
    }

    /// The parameters `values`; 400 naming the first one not in `allowed`, or the first whose
    /// value holds a control character (`%00` and the like: no filter, key or cursor has one).
    init(_ values: [String: [String]], allowed: [String]) throws {
        for name in values.keys.sorted() where !allowed.contains(name) {
            throw APIError.invalid(name, "unknown query parameter \"\(name)\": allowed are \(allowed.joined(separator: ", "))")
        }
        for name in values.keys.sorted() {
            for value in values[name] ?? [] where value.containsControlCharacter {
                throw APIError.invalid(name, "invalid \(name): control characters (such as %00) are not allowed in query values")
            }
        }
        self.values = values
    }

    /// The last value of `name`, `nil` when absent or empty.
    func value(_ name: String) -> String? {
        values[name]?.last.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every value of `name`, empty ones included.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// `name` as an integer in `range`, `nil` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.invalid(name, "invalid \(name) \"\(text)\": must be an integer between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    /// `limit`: 1 to 1000, `nil` when absent.
    func limit() throws -> Int? { try integer("limit", in: 1...1000) }
}
