import ErrandTesting
import Foundation
import Testing

@testable import Errand

/// `AttemptDeadlines`, the one timer of a worker's attempts.
@Suite("Attempt deadlines")
struct AttemptDeadlinesTests {
    func control(_ clock: VirtualClock, timeout: Duration) -> AttemptControl {
        AttemptControl(startedAt: clock.now, timeout: timeout, maxDuration: nil, usedDuration: .zero, progressWriter: { _, _ in })
    }

    /// Lets the timer's task run until `condition` holds (or many turns have passed).
    func settle(_ condition: () -> Bool) async {
        for _ in 0..<2_000 where !condition() { await Task.yield() }
    }

    @Test func aDecidedAttemptPastItsDeadlineDoesNotKeepTheTimerAwake() async throws {
        // An attempt whose handler returned while its outcome is still being written (a slow
        // database) keeps a deadline that passes. The timer must not wake for it again and
        // again: it sleeps until the next undecided attempt's deadline.
        let clock = VirtualClock()
        let deadlines = AttemptDeadlines()
        let loop = Task { await deadlines.run(clock: clock) }
        let waiting = control(clock, timeout: .seconds(60))
        deadlines.add(waiting)
        await settle { deadlines.nextWake == waiting.deadline }
        #expect(deadlines.nextWake == waiting.deadline)

        let decided = control(clock, timeout: .seconds(1))
        decided.complete(.success(json: nil, value: 0))
        deadlines.add(decided)
        clock.advance(by: .seconds(5))
        await settle { deadlines.nextWake != waiting.deadline }
        #expect(deadlines.nextWake == waiting.deadline, "the timer sleeps until the undecided attempt's deadline, not the passed one")
        #expect(decided.interruption == nil, "a decided attempt is never interrupted")
        #expect(waiting.interruption == nil)

        clock.advance(by: .seconds(60))
        await settle { waiting.interruption != nil }
        deadlines.stop()
        await loop.value
        guard case .timeout(let timeout) = waiting.interruption else {
            Issue.record("the undecided attempt still times out; it got \(String(describing: waiting.interruption))")
            return
        }
        #expect(timeout == .seconds(60))
    }

    @Test func anAttemptAddedWhileTheTimerInterruptsAnotherStillTimesOut() async throws {
        // The timer wakes at a passed deadline and interrupts that attempt; a new attempt added
        // before it has chosen its next sleep (here: from the interrupted attempt's cancel
        // handler, which runs inside that round) must still be timed. It was missed when the
        // timer compared it with the passed deadline of the round before and then waited for
        // work with no timer.
        let clock = VirtualClock()
        let deadlines = AttemptDeadlines()
        let loop = Task { await deadlines.run(clock: clock) }
        let first = control(clock, timeout: .seconds(30))
        deadlines.add(first)
        await settle { deadlines.nextWake == first.deadline }

        let second = control(clock, timeout: .seconds(60))
        first.onInterrupt { deadlines.add(second) }
        clock.advance(by: .seconds(30))
        await settle { first.interruption != nil && deadlines.nextWake == second.deadline }
        #expect(deadlines.nextWake == second.deadline, "the timer sleeps until the added attempt's deadline")

        clock.advance(by: .seconds(30))
        await settle { second.interruption != nil }
        deadlines.stop()
        await loop.value
        guard case .timeout = second.interruption else {
            Issue.record("the attempt added during the round times out; it got \(String(describing: second.interruption))")
            return
        }
    }
}
