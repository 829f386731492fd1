/// The set of years a cron expression allows, 1970 through 2199, as a 230-bit set.
struct CronYearSet: Hashable, Sendable {
    /// The first year a cron expression can name.
    static let first = 1970
    /// The last year a cron expression can name.
    static let last = 2199

    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init<S: Sequence>(_ years: S) where S.Element == Int {
        for year in years where year >= Self.first && year <= Self.last {
            let index = year - Self.first
            let bit = UInt64(1) << UInt64(index % 64)
            switch index / 64 {
            case 0: words.0 |= bit
            case 1: words.1 |= bit
            case 2: words.2 |= bit
            default: words.3 |= bit
            }
        }
    }

    static func == (lhs: CronYearSet, rhs: CronYearSet) -> Bool {
        lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }

    /// Whether the set holds `year`.
    func contains(_ year: Int) -> Bool {
        guard year >= Self.first, year <= Self.last else { return false }
        let index = year - Self.first
        return CronBits.contains(word(index / 64), index % 64)
    }

    /// The smallest year in the set at or after `year`, or nil when there is none.
    func first(atOrAfter year: Int) -> Int? {
        let start = max(year, Self.first) - Self.first
        guard start <= Self.last - Self.first else { return nil }
        var wordIndex = start / 64
        var bitIndex = start % 64
        while wordIndex < 4 {
            if let bit = CronBits.first(in: word(wordIndex), atOrAfter: bitIndex) {
                return Self.first + wordIndex * 64 + bit
            }
            wordIndex += 1
            bitIndex = 0
        }
        return nil
    }

    /// Whether the set holds no year.
    var isEmpty: Bool { first(atOrAfter: Self.first) == nil }
}
