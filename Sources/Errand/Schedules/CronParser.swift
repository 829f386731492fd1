import Foundation

/// Turns the text of a cron expression into a ``CronSchedule``, or an error that names the field,
/// the offending token and what the field allows.
struct CronParser {
    /// The expression as given, quoted in every error.
    let text: String
    /// The syntax, decided by the number of fields.
    private(set) var dialect: CronDialect = .aws

    init(_ text: String) {
        self.text = text
    }

    /// Parses the expression.
    mutating func parse() throws -> CronSchedule {
        let fields = try splitFields()
        let minutes = try bits(fields[0], .minutes)
        let hours = try bits(fields[1], .hours)
        let months = try bits(fields[3], .month)
        let dayOfMonth = try parseDayOfMonth(fields[2])
        let dayOfWeek = try parseDayOfWeek(fields[4])
        try checkDayFields(dayOfMonth: fields[2], dayOfWeek: fields[4])
        let years: CronYearSet
        if dialect == .aws {
            years = CronYearSet(try values(ofField: fields[5], .year))
        } else {
            years = CronYearSet(CronYearSet.first...CronYearSet.last)
        }
        return CronSchedule(
            minutes: minutes,
            hours: hours,
            months: months,
            years: years,
            days: CronDayRule(dayOfMonth: dayOfMonth, dayOfWeek: dayOfWeek)
        )
    }

    // MARK: - Fields

    private mutating func splitFields() throws -> [String] {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else {
            throw expressionError("is empty; expected six fields: minutes hours day-of-month month day-of-week year")
        }
        let wrapped = body.lowercased().hasPrefix("cron(")
        if wrapped {
            guard body.hasSuffix(")") else {
                throw expressionError("opens \"cron(\" but does not end with \")\"")
            }
            body = String(body.dropFirst(5).dropLast())
        }
        let fields = body.split(whereSeparator: \.isWhitespace).map(String.init)
        switch (fields.count, wrapped) {
        case (6, _):
            dialect = .aws
        case (5, false):
            dialect = .unix
        case (let count, true):
            throw expressionError(
                "cron(...) has \(count) field\(count == 1 ? "" : "s"); it must hold exactly six: minutes hours day-of-month month day-of-week year"
            )
        case (let count, false):
            throw expressionError(
                "has \(count) field\(count == 1 ? "" : "s"); allowed are six (AWS: minutes hours day-of-month month day-of-week year) or five (Unix: minute hour day-of-month month day-of-week)"
            )
        }
        return fields
    }

    /// AWS: exactly one of the day fields is `?`.
    private func checkDayFields(dayOfMonth: String, dayOfWeek: String) throws {
        guard dialect == .aws else { return }
        switch (dayOfMonth == "?", dayOfWeek == "?") {
        case (true, false), (false, true):
            return
        case (true, true):
            throw expressionError(
                "day-of-month and day-of-week are both \"?\"; exactly one of them must be \"?\", e.g. \"0 10 * * ? *\" or \"0 10 ? * MON *\""
            )
        case (false, false):
            let problem = dayOfMonth == "*" && dayOfWeek == "*"
                ? "day-of-month and day-of-week are both \"*\"; one of them must be \"?\""
                : "day-of-month \"\(dayOfMonth)\" and day-of-week \"\(dayOfWeek)\": one of them must be \"?\""
            throw expressionError(problem + ", e.g. \"0 10 * * ? *\" or \"0 10 ? * MON *\"")
        }
    }

    private func bits(_ field: String, _ kind: CronField) throws -> UInt64 {
        CronBits.make(try values(ofField: field, kind))
    }

    /// The values a plain field (no `?`, `L`, `W`, `#`) allows, in the numbering it is written in.
    private func values(ofField field: String, _ kind: CronField) throws -> [Int] {
        try items(of: field, kind).flatMap { try values(ofItem: $0, kind) }
    }

    /// The comma-separated items of a field; `?` is rejected here, the day fields handle it first.
    private func items(of field: String, _ kind: CronField) throws -> [String] {
        let items = field.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for item in items {
            if item.isEmpty { throw fieldError(kind, item, "is empty (a stray comma?)") }
            if item.contains("?") {
                let problem = kind == .dayOfMonth || kind == .dayOfWeek
                    ? dialect == .aws ? "uses \"?\", which must be the whole field" : "uses \"?\", which only six-field (AWS) expressions allow"
                    : "uses \"?\", which only day-of-month and day-of-week allow"
                throw fieldError(kind, item, problem)
            }
        }
        return items
    }

    /// One item: `*`, `n`, `a-b`, or any of them followed by `/step` (`n/step` runs to the maximum).
    private func values(ofItem item: String, _ kind: CronField) throws -> [Int] {
        let range = kind.range(dialect)
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fieldError(kind, item, "has more than one \"/\"") }
        let base = parts[0]
        var lower: Int
        var upper: Int
        if base == "*" {
            lower = range.lowerBound
            upper = range.upperBound
        } else if let dash = base.firstIndex(of: "-") {
            lower = try value(base[..<dash], kind, token: item)
            upper = try value(base[base.index(after: dash)...], kind, token: item)
            guard lower <= upper else {
                throw fieldError(
                    kind, item,
                    "is a range whose start \(lower) is after its end \(upper); write two ranges, e.g. \(lower)-\(range.upperBound),\(range.lowerBound)-\(upper)"
                )
            }
        } else {
            lower = try value(base, kind, token: item)
            upper = parts.count == 2 ? range.upperBound : lower
        }
        guard parts.count == 2 else { return Array(lower...upper) }
        guard let step = Int(parts[1]), step >= 1, step <= range.count else {
            throw fieldError(kind, item, "has step \"\(parts[1])\"; a step must be a whole number from 1 to \(range.count)")
        }
        return Array(stride(from: lower, through: upper, by: step))
    }

    /// A single number or name, checked against the field's range.
    private func value(_ text: Substring, _ kind: CronField, token: String) throws -> Int {
        let range = kind.range(dialect)
        if text.isEmpty {
            throw fieldError(kind, token, "is missing a value")
        }
        if text.allSatisfy(Self.isDigit) {
            guard let number = Int(text), range.contains(number) else {
                throw fieldError(kind, token, "is out of range")
            }
            return number
        }
        if let named = kind.value(ofName: text.uppercased(), dialect) {
            return named
        }
        throw fieldError(kind, token, "is not a number or a name")
    }

    // MARK: - Day fields

    private func parseDayOfMonth(_ field: String) throws -> CronDayOfMonth {
        var result = CronDayOfMonth()
        if field == "?", dialect == .aws {
            result.isUnspecified = true
            return result
        }
        result.isStar = field.hasPrefix("*")
        for item in try items(of: field, .dayOfMonth) {
            let upper = item.uppercased()
            let special = upper.contains("L") || upper.contains("W")
            if special, dialect == .unix {
                throw fieldError(.dayOfMonth, item, "uses \"L\" or \"W\", which only six-field (AWS) expressions allow")
            }
            if upper == "L" {
                result.fromLastDay |= 1
            } else if upper == "LW" {
                result.lastWeekday = true
            } else if upper.hasPrefix("L-") {
                guard let offset = Int(upper.dropFirst(2)), (0...30).contains(offset) else {
                    throw fieldError(.dayOfMonth, item, "has an offset from the last day that is not a whole number from 0 to 30")
                }
                result.fromLastDay |= 1 << UInt64(offset)
            } else if upper.hasSuffix("W") {
                let day = upper.dropLast()
                guard day.allSatisfy(Self.isDigit) else {
                    throw fieldError(.dayOfMonth, item, "must be a single day before \"W\", like \"15W\"")
                }
                result.nearestWeekdays |= 1 << UInt64(try value(day, .dayOfMonth, token: item))
            } else if special {
                throw fieldError(.dayOfMonth, item, "is not a number, a range or one of L, L-n, LW, nW")
            } else {
                result.days |= CronBits.make(try values(ofItem: item, .dayOfMonth))
            }
        }
        return result
    }

    private func parseDayOfWeek(_ field: String) throws -> CronDayOfWeek {
        var result = CronDayOfWeek()
        if field == "?", dialect == .aws {
            result.isUnspecified = true
            return result
        }
        result.isStar = field.hasPrefix("*")
        for item in try items(of: field, .dayOfWeek) {
            let upper = item.uppercased()
            let special = upper.contains("#") || (upper.hasSuffix("L") && !upper.contains("-") && !upper.contains("/"))
            if special, dialect == .unix {
                throw fieldError(.dayOfWeek, item, "uses \"L\" or \"#\", which only six-field (AWS) expressions allow")
            }
            if upper == "L" {
                result.weekdays |= 1 << 6
            } else if upper.hasSuffix("L"), special {
                let weekday = try weekdayIndex(value(upper.dropLast(), .dayOfWeek, token: item))
                result.lastWeekdays |= 1 << UInt64(weekday)
            } else if let hash = upper.firstIndex(of: "#") {
                let weekday = try weekdayIndex(value(upper[..<hash], .dayOfWeek, token: item))
                guard let occurrence = Int(upper[upper.index(after: hash)...]), (1...5).contains(occurrence) else {
                    throw fieldError(.dayOfWeek, item, "has an occurrence after \"#\" that is not 1-5")
                }
                result.nthWeekdays |= 1 << UInt64(weekday * 5 + occurrence - 1)
            } else {
                for written in try values(ofItem: item, .dayOfWeek) {
                    result.weekdays |= 1 << UInt64(weekdayIndex(written))
                }
            }
        }
        return result
    }

    /// A weekday as written (AWS 1-7 from Sunday, Unix 0-7 with 0 and 7 Sunday) as 0 = Sunday … 6.
    private func weekdayIndex(_ written: Int) -> Int {
        dialect == .aws ? written - 1 : written % 7
    }

    /// Whether a character is one of the ASCII digits 0-9 (not other Unicode digits).
    private static func isDigit(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }

    // MARK: - Errors

    private func expressionError(_ problem: String) -> ErrandError {
        ErrandError(
            code: .invalidArgument,
            message: "invalid cron expression \(ErrandError.quote(text)): \(problem)",
            field: "cron"
        )
    }

    private func fieldError(_ kind: CronField, _ token: String, _ problem: String) -> ErrandError {
        expressionError("\(kind.name) field: token \(ErrandError.quote(token)) \(problem); \(kind.allowed(dialect))")
    }
}
