import Errand
import ErrandStoreTests
import Testing

@Suite struct MemoryRunStoreTests {
    @Test(arguments: RunStoreConformance.allCases)
    func conformance(_ check: RunStoreConformance) async throws {
        try await check.run { MemoryRunStore() }
    }
}
