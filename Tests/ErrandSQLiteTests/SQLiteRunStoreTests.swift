import Errand
import ErrandSQLite
import ErrandStoreTests
import Foundation
import Synchronization
import Testing

@Suite("SQLiteRunStore conformance")
struct SQLiteRunStoreTests {
    @Test(arguments: RunStoreConformance.allCases)
    func conformance(_ check: RunStoreConformance) async throws {
        let paths = Mutex<[String]>([])
        defer { paths.withLock { $0.forEach(removeDatabase(at:)) } }
        try await check.run {
            let path = temporaryPath()
            paths.withLock { $0.append(path) }
            return try SQLiteRunStore(path: path)
        }
    }

    @Test(arguments: LeaseStoreConformance.allCases)
    func leaseConformance(_ check: LeaseStoreConformance) async throws {
        let paths = Mutex<[String]>([])
        defer { paths.withLock { $0.forEach(removeDatabase(at:)) } }
        try await check.run {
            let path = temporaryPath()
            paths.withLock { $0.append(path) }
            return try SQLiteRunStore(path: path)
        }
    }

    @Test(arguments: ScheduleStoreConformance.allCases)
    func scheduleConformance(_ check: ScheduleStoreConformance) async throws {
        let paths = Mutex<[String]>([])
        defer { paths.withLock { $0.forEach(removeDatabase(at:)) } }
        try await check.run {
            let path = temporaryPath()
            paths.withLock { $0.append(path) }
            return try SQLiteRunStore(path: path)
        }
    }
}
