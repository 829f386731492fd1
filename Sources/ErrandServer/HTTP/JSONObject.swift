import Errand
import Foundation

/// A JSON object from a request body, with typed accessors whose errors name the field, the value
/// and what is allowed.
struct JSONObject: Sendable {
    /// The members.
    let members: [String: JSONValue]
    /// Where the object sits in the body (`""` for the body, `"items[2]."` for a batch item), put
    /// before field names in errors.
    let path: String

    init(_ members: [String: JSONValue], path: String = "") {
        self.members = members
        self.path = path
    }

    /// Parses a body that must be a JSON object.
    static func parse(_ data: Data) throws -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch DecodingError.dataCorrupted {
            throw APIError.malformedJSON(syntaxError(in: data))
        } catch {
            throw APIError.malformedJSON("\(error)")
        }
        guard case .object(let members) = value else {
            throw APIError.invalid("body", "the request body must be a JSON object, got \(Self.kind(of: value))")
        }
        return JSONObject(members)
    }

    /// Where the JSON parser stops in `data` ("Invalid value around character 1.").
    private static func syntaxError(in data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "it cannot be decoded"
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        }
    }

    /// Rejects members that are not in `allowed`.
    func checkKeys(_ allowed: [String]) throws {
        for key in members.keys.sorted() where !allowed.contains(key) {
            throw APIError.invalid(path + key, "unknown field \"\(path + key)\": allowed fields are \(allowed.joined(separator: ", "))")
        }
    }

    /// A member, `nil` when absent or JSON `null`.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw mismatch(key, value, "a string") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw APIError.invalid(path + key, "\"\(path + key)\" is required: give a string") }
        return text
    }

    func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let number) where number >= Int64(Int32.min) && number <= Int64(Int32.max):
            return Int(number)
        case .number(let number) where number.rounded() == number && abs(number) <= Double(Int32.max):
            return Int(number)
        default:
            throw mismatch(key, value, "an integer between \(Int32.min) and \(Int32.max)")
        }
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mismatch(key, value, "an array of strings") }
        return try items.map { item in
            guard case .string(let text) = item else { throw mismatch(key, value, "an array of strings") }
            return text
        }
    }

    func object(_ key: String) throws -> JSONObject? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else { throw mismatch(key, value, "a JSON object") }
        return JSONObject(members, path: "\(path)\(key).")
    }

    func array(_ key: String) throws -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mismatch(key, value, "a JSON array") }
        return items
    }

    /// The member as JSON data (for payloads), `nil` when absent; JSON `null` is kept as `null`.
    /// Slashes stay as sent (`/`, not `\/`), so a payload of URLs is not grown past a size limit
    /// it was under.
    func json(_ key: String) throws -> Data? {
        guard let value = members[key] else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return try encoder.encode(value)
    }

    private func mismatch(_ key: String, _ value: JSONValue, _ expected: String) -> APIError {
        .invalid(path + key, "invalid \(path + key) (\(Self.kind(of: value))): must be \(expected)")
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number, .decimal: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
