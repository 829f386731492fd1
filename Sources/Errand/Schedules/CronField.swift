/// One field of a cron expression: its name, range, names and the syntax it allows.
enum CronField: Sendable, Hashable {
    case minutes, hours, dayOfMonth, month, dayOfWeek, year

    /// The field's name in error messages.
    var name: String {
        switch self {
        case .minutes: "minutes"
        case .hours: "hours"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        case .year: "year"
        }
    }

    /// The numbers the field accepts, as written.
    func range(_ dialect: CronDialect) -> ClosedRange<Int> {
        switch self {
        case .minutes: 0...59
        case .hours: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: dialect == .aws ? 1...7 : 0...7
        case .year: CronYearSet.first...CronYearSet.last
        }
    }

    /// The value of a name (`JAN`, `MON`, …) as written in this dialect, or nil.
    func value(ofName name: String, _ dialect: CronDialect) -> Int? {
        switch self {
        case .month:
            return Self.monthNames.firstIndex(of: name).map { $0 + 1 }
        case .dayOfWeek:
            return Self.dayNames.firstIndex(of: name).map { dialect == .aws ? $0 + 1 : $0 }
        default:
            return nil
        }
    }

    /// What the field allows, for error messages.
    func allowed(_ dialect: CronDialect) -> String {
        switch (self, dialect) {
        case (.minutes, _): "allowed 0-59, with , - * /"
        case (.hours, _): "allowed 0-23, with , - * /"
        case (.dayOfMonth, .aws): "allowed 1-31, with , - * ? / L W (L, L-n, LW, nW)"
        case (.dayOfMonth, .unix): "allowed 1-31, with , - * /"
        case (.month, _): "allowed 1-12 or JAN-DEC, with , - * /"
        case (.dayOfWeek, .aws): "allowed 1-7 or SUN-SAT, with , - * ? / L # (L, nL, n#k)"
        case (.dayOfWeek, .unix): "allowed 0-7 or SUN-SAT (0 and 7 are Sunday), with , - * /"
        case (.year, _): "allowed 1970-2199, with , - * /"
        }
    }

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
}
