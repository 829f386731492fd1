/// The rule for free-form identifiers users choose (tags, idempotency and concurrency keys,
/// schedule keys, event ids): no control characters. No identifier needs one, a log line or a
/// terminal shows them badly, and PostgreSQL's `text` cannot hold U+0000 at all (a store error,
/// not a clear one, would follow).
enum IdentifierText {
    /// Throws ``ErrandError/Code/invalidArgument`` naming `field` when `value` holds a control
    /// character, showing where (`\u{0}`).
    static func check(_ value: String, field: String) throws {
        guard hasControlCharacter(value) else { return }
        let shown = value.unicodeScalars.map { isControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        throw ErrandError.invalidArgument(field: field, value: shown, allowed: "control characters (here shown as \\u{…}) are not allowed")
    }

    /// Whether `value` holds a control character (U+0000–U+001F, U+007F–U+009F).
    static func hasControlCharacter(_ value: String) -> Bool {
        value.unicodeScalars.contains(where: isControl)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }
}
