import Foundation

extension TriggerDelay {
    /// Parses the text form of `after`: digits (milliseconds, with the delay/timestamp rule of
    /// ``epochThreshold``), an ISO-8601 date-time, or `N unit`.
    ///
    /// - Throws: ``ErrandError`` (field `after`) naming the value and the allowed forms.
    public static func parse(_ text: String) throws -> TriggerDelay {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw error(text, "is empty; \(allowedForms)") }
        if isNumber(trimmed), let value = Double(trimmed) {
            return try number(value)
        }
        if looksLikeDate(trimmed) {
            guard let date = ISO8601Timestamp.date(from: trimmed) else {
                throw error(
                    trimmed,
                    "is not a valid ISO-8601 date-time; write it like 2022-01-14T17:46:05.811Z or 2022-01-14T19:46:05+02:00 (Z or an offset is required)"
                )
            }
            return .date(date)
        }
        let words = trimmed.split(whereSeparator: \.isWhitespace)
        guard words.count == 2 else { throw error(trimmed, "is not a recognised form; \(allowedForms)") }
        guard words[0].allSatisfy(isDigit), let count = Int(words[0]) else {
            throw error(trimmed, "number \(ErrandError.quote(String(words[0]))) is not a whole number of 0 or more; \(allowedForms)")
        }
        let word = words[1].lowercased()
        guard let unit = Unit(rawValue: word) ?? Unit(rawValue: String(word.dropLast())).flatMap({ word.hasSuffix("s") ? $0 : nil })
        else {
            throw error(
                trimmed,
                "unit \(ErrandError.quote(String(words[1]))) is not allowed; use second(s), minute(s), hour(s), day(s), week(s), month(s) or year(s)"
            )
        }
        return .duration(count, unit)
    }

    private static let allowedForms =
        "allowed are a delay in milliseconds, an epoch timestamp in milliseconds, an ISO-8601 date-time like 2022-01-14T17:46:05.811Z, or \"N unit\" like \"1 day\""

    /// An optional minus sign, digits and an optional decimal part.
    private static func isNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isDigit) }
    }

    /// Whether a character is one of the ASCII digits 0-9.
    private static func isDigit(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }

    /// Four digits and a dash: the start of an ISO-8601 date.
    private static func looksLikeDate(_ text: String) -> Bool {
        let head = Array(text.prefix(5))
        return head.count == 5 && head[0..<4].allSatisfy(isDigit) && head[4] == "-"
    }
}
