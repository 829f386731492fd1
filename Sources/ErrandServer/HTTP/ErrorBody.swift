/// The JSON of an error response: `{"error":{"code","message","field"}}`, `field` `null` when none.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        var field: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
            try container.encode(field, forKey: .field)
        }

        private enum CodingKeys: String, CodingKey { case code, message, field }
    }

    var error: Detail

    init(_ error: APIError) {
        self.error = Detail(code: error.code, message: error.message, field: error.field)
    }
}
