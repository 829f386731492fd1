import Synchronization
import Testing

@testable import ErrandPostgres

/// `OperationDeadline`: the bound on store operations that would otherwise wait for ever.
@Suite("OperationDeadline")
struct OperationDeadlineTests {
    struct Expired: Error {}

    @Test func aFastOperationReturnsItsValue() async throws {
        let value = try await OperationDeadline.run(limit: .seconds(30), expired: { Expired() }) { _ in 42 }
        #expect(value == 42)
    }

    @Test func anOperationsErrorIsThrown() async throws {
        struct Failed: Error {}
        await #expect(throws: Failed.self) {
            try await OperationDeadline.run(limit: .seconds(30), expired: { Expired() }) { _ async throws -> Int in throw Failed() }
        }
    }

    @Test func anOperationThatNeverFinishesAndIgnoresCancellationIsAbandoned() async throws {
        // A continuation nobody resumes: the operation ignores cancellation and never returns.
        let parked = Mutex<CheckedContinuation<Void, Never>?>(nil)
        await #expect(throws: Expired.self) {
            try await OperationDeadline.run(limit: .milliseconds(50), expired: { Expired() }) { _ async throws -> Int in
                await withCheckedContinuation { continuation in parked.withLock { $0 = continuation } }
                return 1
            }
        }
        parked.withLock { $0?.resume() }  // let the abandoned task end; its result is dropped
    }

    @Test func cancellingTheCallerEndsTheWaitAtOnce() async throws {
        let parked = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let call = Task {
            try await OperationDeadline.run(limit: .seconds(3600), expired: { Expired() }) { _ async throws -> Int in
                await withCheckedContinuation { continuation in parked.withLock { $0 = continuation } }
                return 1
            }
        }
        while parked.withLock({ $0 == nil }) { await Task.yield() }
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        parked.withLock { $0?.resume() }
    }

    @Test func noLimitRunsTheOperationDirectly() async throws {
        let value = try await OperationDeadline.run(limit: nil, expired: { Expired() }) { _ in "direct" }
        #expect(value == "direct")
    }

    @Test func anOperationThatAbandonsItselfEndsTheWaitWithItsError() async throws {
        struct Closed: Error {}
        let parked = Mutex<CheckedContinuation<Void, Never>?>(nil)
        await #expect(throws: Closed.self) {
            try await OperationDeadline.run(limit: .seconds(3600), expired: { Expired() }) { abandon async throws -> Int in
                abandon(Closed())  // as the connection's close callback does, while the operation hangs
                await withCheckedContinuation { continuation in parked.withLock { $0 = continuation } }
                return 1
            }
        }
        while parked.withLock({ $0 == nil }) { await Task.yield() }
        parked.withLock { $0?.resume() }
    }
}
