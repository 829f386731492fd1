import Errand
import ErrandPostgres
import ErrandTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite("Clock offset to the PostgreSQL server")
struct ClockOffsetTests {
    /// The test server runs on this machine, on this clock: the measured offset is within the
    /// measurement's uncertainty (plus a little for the float conversions), and checking it logs
    /// no warning.
    @Test func theServerOnThisMachineReadsTheSameClock() async throws {
        let client = try TestDatabase.shared.get()
        try await TestDatabase.withStores(client: client) { make in
            let warnings = RecordedLog()
            let made = try await make()
            let store = try PostgresRunStore(client: client, schema: made.schema, logger: Logger(label: "test") { _ in warnings })
            let measured = try await store.measureClockOffset(samples: 5)
            #expect(measured.uncertainty > .zero && measured.uncertainty < .seconds(1), "half a round trip: \(measured)")
            #expect(measured.leastMagnitude <= .milliseconds(5), "\(measured)")
            #expect(!measured.needsWarning)
            let checked = await store.checkClock()
            #expect(checked != nil)
            #expect(warnings.messages == [], "no warning for clocks in step")
        }
    }

    /// The warning fires only when the clocks are at least a second apart beyond what the
    /// measurement cannot tell, and says which clock is ahead and by how much.
    @Test func aWarningNeedsASecondBeyondTheUncertaintyAndSaysWhichClockIsAhead() {
        let ahead = ClockOffset(offset: .milliseconds(-12_300), uncertainty: .microseconds(400))
        #expect(ahead.needsWarning)
        #expect(ahead.leastMagnitude == .milliseconds(12_300) - .microseconds(400))
        #expect(ahead.description == "this process's clock is 12.300 s ahead of the database server's (measured to within 0.4 ms)")
        let behind = ClockOffset(offset: .milliseconds(2_500), uncertainty: .milliseconds(2))
        #expect(behind.needsWarning)
        #expect(behind.description == "this process's clock is 2.500 s behind the database server's (measured to within 2.0 ms)")
        #expect(!ClockOffset(offset: .milliseconds(999), uncertainty: .zero).needsWarning)
        #expect(ClockOffset(offset: .seconds(1), uncertainty: .zero).needsWarning)
        #expect(!ClockOffset(offset: .milliseconds(1_500), uncertainty: .milliseconds(600)).needsWarning, "might be 0.9 s apart")
        #expect(ClockOffset(offset: .milliseconds(300), uncertainty: .milliseconds(500)).leastMagnitude == .zero)
        #expect(ClockOffset(offset: .zero, uncertainty: .microseconds(250)).description.contains("agrees with the database server's"))
        #expect(ClockOffset(offset: .microseconds(-300), uncertainty: .microseconds(250)).description.hasPrefix("this process's clock is 0.3 ms ahead of"))
    }

    /// A store that cannot reach its server says so in a warning and goes on: the check never
    /// stops a process from starting.
    @Test func aServerThatCannotBeReachedIsAWarningNotAnError() async throws {
        let warnings = RecordedLog()
        var configuration = try PostgresRunStore.clientConfiguration(url: "postgres://errand@127.0.0.1:1/errand")
        configuration.options.connectTimeout = .milliseconds(200)
        let client = PostgresClient(configuration: configuration)
        let store = try PostgresRunStore(
            client: client, configuration: .init(operationTimeout: .milliseconds(500)), logger: Logger(label: "test") { _ in warnings }
        )
        let checked = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return await store.checkClock()
        }
        #expect(checked == nil)
        #expect(warnings.messages == ["could not compare this process's clock with the database server's"])
    }
}
