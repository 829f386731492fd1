extension String {
    /// Whether the text holds a control character (U+0000–U+001F, U+007F–U+009F): never valid in
    /// a query value or a path parameter of the API (PostgreSQL cannot even store U+0000).
    var containsControlCharacter: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
