import Errand
import ErrandStoreTests
import Testing

@Suite struct MemoryRunStoreTests {
    @Test(arguments: RunStoreConformance.allCases)
    func conformance(_ check: RunStoreConformance) async throws {
        try await check.run { MemoryRunStore() }
    }

    @Test(arguments: ScheduleStoreConformance.allCases)
    func scheduleConformance(_ check: ScheduleStoreConformance) async throws {
        try await check.run { MemoryRunStore() }
    }

    @Test(arguments: LeaseStoreConformance.allCases)
    func leaseConformance(_ check: LeaseStoreConformance) async throws {
        try await check.run { MemoryRunStore() }
    }
}
