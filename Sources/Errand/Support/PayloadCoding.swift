import Foundation

/// JSON encoding and decoding of payloads and results, with errors that name the field.
public enum PayloadCoding {
    /// The largest payload accepted (256 KB, the Ampt limit).
    public static let maximumPayloadSize = 256 * 1024
    /// The largest result stored (64 KB, the Ampt limit).
    public static let maximumResultSize = 64 * 1024

    /// One encoder and one decoder for every payload: configured once, never changed afterwards
    /// (Foundation's coders are `Sendable` and safe to share).
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Encodes a value as JSON (dates as ISO-8601, keys sorted).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try encoder.encode(value)
    }

    /// Decodes JSON as `type`, turning a decoding error into an ``ErrandError`` that names the
    /// field (as a path such as `payload.user.email`) and what was wrong.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, field: String = "payload") throws -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error, root: field)
        }
    }

    /// Checks a payload's size against ``maximumPayloadSize``.
    public static func checkPayloadSize(_ data: Data, field: String = "payload") throws {
        if data.count > maximumPayloadSize {
            throw ErrandError.payloadTooLarge(field: field, size: data.count, limit: maximumPayloadSize)
        }
    }

    static func describe(_ error: DecodingError, root: String) -> ErrandError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(root) { partial, key in
                if let index = key.intValue { return "\(partial)[\(index)]" }
                return "\(partial).\(key.stringValue)"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return ErrandError(code: .invalidArgument, message: "\(field) is required but missing", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return ErrandError(code: .invalidArgument, message: "\(field) has the wrong type: expected \(type)", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return ErrandError(code: .invalidArgument, message: "\(field) is null but must be \(type)", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            let detail = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return ErrandError(code: .invalidArgument, message: "\(field) is not valid: \(context.debugDescription) \(detail == context.debugDescription ? "" : detail)".trimmingCharacters(in: .whitespaces), field: field)
        @unknown default:
            return ErrandError(code: .invalidArgument, message: "\(root) could not be decoded: \(error)", field: root)
        }
    }
}

extension PayloadCoding {
    /// Checks that data is one JSON value, naming the problem when it is not.
    public static func checkJSON(_ data: Data, field: String = "payload") throws {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let text = String(decoding: data.prefix(60), as: UTF8.self)
            throw ErrandError.invalidArgument(field: field, value: text, allowed: "must be valid JSON (an object, array, string, number, boolean or null)")
        }
    }
}
