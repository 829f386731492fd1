/// Bit-set helpers for cron fields: bit `n` set means value `n` is allowed.
enum CronBits {
    /// The lowest set bit at or above `index`, or nil when there is none.
    @inline(__always)
    static func first(in bits: UInt64, atOrAfter index: Int) -> Int? {
        guard index < 64 else { return nil }
        let remaining = bits & (UInt64.max << UInt64(max(index, 0)))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    /// Whether bit `index` is set (false for indexes outside 0..<64).
    @inline(__always)
    static func contains(_ bits: UInt64, _ index: Int) -> Bool {
        index >= 0 && index < 64 && bits & (1 << UInt64(index)) != 0
    }

    /// A set with the bits of `values`.
    static func make<S: Sequence>(_ values: S) -> UInt64 where S.Element == Int {
        values.reduce(0) { $0 | (1 << UInt64($1)) }
    }
}
