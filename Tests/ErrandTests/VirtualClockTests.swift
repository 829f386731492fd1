import ErrandTesting
import Foundation
import Testing

/// `VirtualClock`: sleepers wake when the clock passes their deadline, and the clock counts the
/// woken ones until they run again (so `TestErrand.settle()` never calls a system idle while a
/// task it woke still waits for a thread).
@Suite("Virtual clock")
struct VirtualClockTests {
    /// Yields until `condition` holds (or many turns have passed).
    func waitUntil(_ condition: () -> Bool) async {
        for _ in 0..<10_000 where !condition() { await Task.yield() }
    }

    @Test func aWokenSleeperCountsAsPendingUntilItRunsAgain() async throws {
        let clock = VirtualClock()
        let deadline = clock.now.addingTimeInterval(10)
        let ran = Recorder<Int>()
        let sleeper = Task {
            try await clock.sleep(until: deadline)
            ran.append(clock.pendingWakeups)
        }
        await waitUntil { clock.sleeperCount == 1 }
        #expect(clock.pendingWakeups == 0)
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1 && clock.pendingWakeups == 0, "not due yet")
        clock.advance(by: .seconds(1))
        #expect(clock.sleeperCount == 0)
        try await sleeper.value
        #expect(ran.all == [0], "no longer pending once its task runs after the sleep")
        #expect(clock.pendingWakeups == 0)
    }

    @Test func aCancelledSleeperCountsAsPendingUntilItRunsAgain() async throws {
        let clock = VirtualClock()
        let sleeper = Task { try await clock.sleep(until: clock.now.addingTimeInterval(60)) }
        await waitUntil { clock.sleeperCount == 1 }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0 && clock.pendingWakeups == 0)

        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: clock.now.addingTimeInterval(60))
        }
        await #expect(throws: CancellationError.self) { try await late.value }
        #expect(clock.pendingWakeups == 0, "a sleep cancelled before it began was never counted")
    }
}
