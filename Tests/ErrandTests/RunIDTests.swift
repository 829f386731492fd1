import Foundation
import Testing

@testable import Errand

/// `RunID.generate` and `SortableID`: the id's shape, its time prefix, and its order.
@Suite("Run ids")
struct RunIDTests {
    static let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The milliseconds the 10 time characters after `prefix` encode.
    static func millis(_ id: String, prefix: String) -> UInt64 {
        let digits = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return id.dropFirst(prefix.count).prefix(10).reduce(0) { $0 << 5 | UInt64(digits.firstIndex(of: $1)!) }
    }

    @Test func anIdIsThePrefixThen26CrockfordCharactersStartingWithItsMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_764_000_000.123)
        let id = RunID.generate(at: date).rawValue
        #expect(id.hasPrefix("run_"))
        #expect(id.count == 30)
        #expect(id.dropFirst(4).allSatisfy { Self.alphabet.contains($0) }, "\(id)")
        #expect(Self.millis(id, prefix: "run_") == 1_764_000_000_123)
        let schedule = Schedule.generateID(at: date)
        #expect(schedule.hasPrefix("sched_") && schedule.count == 32)
        #expect(Self.millis(schedule, prefix: "sched_") == 1_764_000_000_123)
    }

    @Test func idsSortByTimeAndDoNotRepeat() {
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        // Half a millisecond in, so the floating-point sum never rounds down to the previous one.
        let ids = (0..<2_000).map { RunID.generate(at: start.addingTimeInterval((Double($0 / 100) + 0.5) / 1000)) }
        #expect(Set(ids).count == ids.count, "no id repeats")
        for (earlier, later) in zip(ids, ids.dropFirst(100)) {
            #expect(earlier < later, "an id made a millisecond later sorts after: \(earlier) \(later)")
        }
        #expect(Set(ids.map { $0.rawValue.suffix(16) }).count == ids.count, "the random part differs within a millisecond")
    }
}
