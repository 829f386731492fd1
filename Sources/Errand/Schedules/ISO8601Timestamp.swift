import Foundation

/// Reads and writes the ISO-8601 timestamps Errand uses in its API, CLI and errors.
///
/// Reading accepts `2022-01-14T17:46:05.811Z`, with or without fractional seconds, with `Z` or an
/// explicit offset (`+02:00`, `+0200`, `-05`), a space or `T` between date and time, and a bare
/// date (`2022-01-14`, midnight UTC). A date-time without `Z` or an offset is rejected: its zone
/// would be a guess. Writing gives UTC with `Z`, or the local time with its offset.
///
/// ```swift
/// let date = ISO8601Timestamp.date(from: "2026-03-14T10:07:00Z")
/// ISO8601Timestamp.string(from: date!)                          // "2026-03-14T10:07:00Z"
/// ISO8601Timestamp.string(from: date!, fractionalSeconds: true) // "2026-03-14T10:07:00.000Z"
/// ```
public enum ISO8601Timestamp {
    /// The date a timestamp names, or nil when the text is not one of the accepted forms or names
    /// an impossible date (month 13, 30 February, hour 24, …).
    public static func date(from text: String) -> Date? {
        var reader = Reader(Array(text.trimmingCharacters(in: .whitespaces).utf8))
        guard let year = reader.digits(4), reader.skip("-"), let month = reader.digits(2), reader.skip("-"),
            let day = reader.digits(2), (1...12).contains(month),
            (1...CivilDate.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        let days = CivilDate(year: year, month: month, day: day).days
        if reader.isAtEnd { return Date(timeIntervalSince1970: TimeInterval(days * 86_400)) }
        guard reader.skip("T") || reader.skip("t") || reader.skip(" "),
            let hour = reader.digits(2), reader.skip(":"), let minute = reader.digits(2),
            hour <= 23, minute <= 59
        else { return nil }
        var second = 0
        var fraction = (digits: 0, count: 0)
        if reader.skip(":") {
            guard let value = reader.digits(2), value <= 59 else { return nil }
            second = value
            if reader.skip(".") || reader.skip(",") {
                guard let value = reader.fraction() else { return nil }
                fraction = value
            }
        }
        guard let offset = reader.zoneOffset(), reader.isAtEnd else { return nil }
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        // One exact integer divided once: "…05.811Z" gives the same Double as 1642182365.811.
        var scale = 1
        for _ in 0..<fraction.count { scale *= 10 }
        return Date(timeIntervalSince1970: TimeInterval(seconds * scale + fraction.digits) / TimeInterval(scale))
    }

    /// The timestamp of `date`: in UTC with `Z` when `timeZone` is nil or UTC, else the local time
    /// with its offset (`2026-03-14T11:10:00+01:00`). Seconds precision unless
    /// `fractionalSeconds` asks for milliseconds.
    public static func string(from date: Date, timeZone: TimeZone? = nil, fractionalSeconds: Bool = false) -> String {
        let time = date.timeIntervalSince1970
        // Years 0000-9999 only; anything else (a huge delay) is shown as seconds since 1970.
        guard time > -62_167_219_200, time < 253_402_300_800 else { return "\(time) seconds since 1970" }
        let totalMilliseconds = Int((time * 1000).rounded())
        var seconds = CivilDate.floorDiv(totalMilliseconds, 1000)
        let milliseconds = totalMilliseconds - seconds * 1000
        let offset = timeZone.map { $0.secondsFromGMT(for: date) } ?? 0
        seconds += offset
        let days = CivilDate.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let civil = CivilDate(days: days)
        var text = pad(civil.year, 4) + "-" + pad(civil.month, 2) + "-" + pad(civil.day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fractionalSeconds { text += "." + pad(milliseconds, 3) }
        if timeZone.map({ utcIdentifiers.contains($0.identifier) }) ?? true {
            return text + "Z"
        }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return text + sign + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
    }

    private static let utcIdentifiers: Set = ["GMT", "UTC", "Etc/UTC", "Etc/GMT", "Z"]

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    /// A cursor over ASCII bytes.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue, index < bytes.count, bytes[index] == ascii else { return false }
            index += 1
            return true
        }

        /// Exactly `count` digits.
        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }

        /// One or more digits after a decimal point: the digits (up to six, later ones are
        /// ignored) and how many were kept.
        mutating func fraction() -> (digits: Int, count: Int)? {
            var digits = 0
            var count = 0
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if count < 6 {
                    digits = digits * 10 + Int(bytes[index] - 48)
                    count += 1
                }
                index += 1
            }
            return index > start ? (digits, count) : nil
        }

        /// `Z`, `±HH:MM`, `±HHMM` or `±HH`, in seconds east of UTC; nil when missing or malformed.
        mutating func zoneOffset() -> Int? {
            if skip("Z") || skip("z") { return 0 }
            let sign: Int
            if skip("+") {
                sign = 1
            } else if skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = digits(2), hours <= 23 else { return nil }
            var minutes = 0
            if !isAtEnd {
                _ = skip(":")
                guard let value = digits(2), value <= 59 else { return nil }
                minutes = value
            }
            return sign * (hours * 3600 + minutes * 60)
        }
    }
}
