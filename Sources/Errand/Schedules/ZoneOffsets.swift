import Foundation

/// Converts between instants (seconds since 1970 UTC) and local wall-clock seconds of a time zone.
///
/// A zone that has never changed its offset (UTC, `GMT+2`, `Etc/GMT-5`) is a constant offset and
/// needs no `TimeZone` calls at all. Other zones ask Foundation for the offset at an instant.
///
/// Local times around a daylight-saving transition:
/// - a local time inside a skipped interval (spring forward) does not exist; it maps to the
///   instant it would have with the offset before the gap, that is it is shifted forward by the
///   gap's length (02:30 in a 02:00→03:00 gap becomes 03:30 after the change);
/// - a local time inside a repeated interval (fall back) maps to its first occurrence.
enum ZoneOffsets: Sendable, Hashable {
    case fixed(seconds: Int)
    case zone(TimeZone)

    init(_ timeZone: TimeZone) {
        let longAgo = Date(timeIntervalSince1970: -2_208_988_800) // 1900-01-01
        if timeZone.nextDaylightSavingTimeTransition(after: longAgo) == nil,
            timeZone.secondsFromGMT(for: longAgo) == timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 0))
        {
            self = .fixed(seconds: timeZone.secondsFromGMT(for: longAgo))
        } else {
            self = .zone(timeZone)
        }
    }

    /// The offset from UTC, in seconds, at an instant.
    @inline(__always)
    func offset(at instant: Int) -> Int {
        switch self {
        case .fixed(let seconds): seconds
        case .zone(let zone): zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        }
    }

    /// The instant of a local wall-clock time (seconds since 1970-01-01 00:00 local): its first
    /// occurrence when it is repeated, shifted forward by the gap when it is skipped.
    func instant(ofLocal local: Int) -> Int {
        switch self {
        case .fixed(let seconds):
            return local - seconds
        case .zone:
            // Offsets a day either side: any single transition near `local` lies between them.
            let before = offset(at: local - 86_400)
            let after = offset(at: local + 86_400)
            if before == after { return local - before }
            let early = local - before
            let late = local - after
            let earlyValid = offset(at: early) == before
            let lateValid = offset(at: late) == after
            switch (earlyValid, lateValid) {
            case (true, true): return min(early, late)
            case (true, false): return early
            case (false, true): return late
            case (false, false): return local - before // in the gap: shifted forward by its length
            }
        }
    }
}
