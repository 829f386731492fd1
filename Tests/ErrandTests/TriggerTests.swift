import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Triggering runs")
struct TriggerTests {
    @Test func triggeredRunCompletesWithTypedResult() async throws {
        let test = makeTestErrand()
        try test.errand.register(greetTask())
        try await test.start()
        defer { Task { await test.stop() } }
        let id = try await test.errand.trigger(greetTask(), Greeting(name: "Ada"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(try JSONDecoder().decode(Reply.self, from: try #require(run.result)) == Reply(text: "hello Ada"))
        #expect(run.attemptCount == 1)
        #expect(run.attempts.count == 1)
        #expect(run.attempts.first?.outcome == .succeeded)
        #expect(run.submittedAt != nil)
        #expect(run.completedAt != nil)
        #expect(run.failedAt == nil)
    }

    @Test func delayedRunStartsAtItsTime() async throws {
        let test = makeTestErrand()
        let start = test.clock.now
        let started = Recorder<Date>()
        let task = TaskDefinition<Greeting, NoOutput>("later") { _, ctx in
            started.append(ctx.calledAt)
            return NoOutput()
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"), options: .init(after: try .parse("1 hour")))
        #expect(try await test.errand.state(id)?.status == .delayed)
        await test.advance(by: .seconds(3599))
        #expect(started.count == 0)
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(started.all == [start.addingTimeInterval(3600)])
        #expect(run.result == nil)
        await test.stop()
    }

    @Test func contextCarriesAmptEventFields() async throws {
        let test = makeTestErrand()
        let seen = Recorder<RunContext>()
        let task = TaskDefinition<Greeting, NoOutput>("fields") { _, ctx in
            seen.append(ctx)
            return NoOutput()
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"), options: .init(after: .milliseconds(2000), tags: ["a"]))
        try await test.runUntilFinished(id)
        let ctx = try #require(seen.all.first)
        #expect(ctx.runID == id)
        #expect(ctx.attempt == 1)
        #expect(ctx.taskName == "fields")
        #expect(ctx.tags == ["a"])
        #expect(ctx.delay == .zero)
        #expect(ctx.calledAt == ctx.scheduledAt)
        await test.stop()
    }

    @Test func taskNameLongerThan64IsRejected() throws {
        let errand = Errand(store: MemoryRunStore())
        let name = String(repeating: "x", count: 65)
        let error = #expect(throws: ErrandError.self) {
            try errand.register(TaskDefinition<Greeting, Reply>(name) { _, _ in Reply(text: "") })
        }
        #expect(error?.field == "name")
        #expect(error?.message.contains("65 characters") == true)
        #expect(error?.message.contains("at most 64") == true)
    }

    @Test func duplicateTaskNameIsRejected() throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let error = #expect(throws: ErrandError.self) { try errand.register(greetTask()) }
        #expect(error?.code == .duplicateTask)
        #expect(error?.message.contains("\"greet\"") == true)
    }

    @Test func payloadOver256KBIsRejectedWithBothSizes() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let big = Greeting(name: String(repeating: "a", count: 300_000))
        let error = await #expect(throws: ErrandError.self) { try await errand.trigger(greetTask(), big) }
        #expect(error?.code == .payloadTooLarge)
        #expect(error?.message.contains("300011 bytes") == true)
        #expect(error?.message.contains("262144") == true)
        #expect(try await errand.runs().runs.isEmpty)
    }

    @Test func unknownTaskIsRejectedNamingIt() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let error = await #expect(throws: ErrandError.self) {
            try await errand.trigger(TriggerRequest(task: "nope", payload: Data("{}".utf8)))
        }
        #expect(error?.code == .unknownTask)
        #expect(error?.message.contains("\"nope\"") == true)
        #expect(error?.message.contains("greet") == true)
    }

    @Test func payloadThatDoesNotDecodeIsRejectedNamingTheField() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let error = await #expect(throws: ErrandError.self) {
            try await errand.trigger(TriggerRequest(task: "greet", payload: Data(#"{"name": 3}"#.utf8)))
        }
        #expect(error?.field == "payload.name")
    }

    @Test func badDelayStringIsRejected() async throws {
        #expect(throws: ErrandError.self) { try TriggerDelay.parse("3 fortnights") }
    }

    @Test func moreThanTenTagsAreRejected() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let tags = (1...11).map { "t\($0)" }
        let error = await #expect(throws: ErrandError.self) {
            try await errand.trigger(greetTask(), Greeting(name: "x"), options: .init(tags: tags))
        }
        #expect(error?.field == "tags")
        #expect(error?.message.contains("at most 10") == true)
    }

    @Test func idempotencyKeyReturnsTheSameRunUnderConcurrentTriggers() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let ids = try await withThrowingTaskGroup(of: RunID.self) { group in
            for _ in 0..<20 {
                group.addTask { try await errand.trigger(greetTask(), Greeting(name: "x"), options: .init(idempotencyKey: "order-1")) }
            }
            return try await group.reduce(into: Set<RunID>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(try await errand.runs().runs.count == 1)
    }

    @Test func idempotencyKeyExpiresAfterItsTTL() async throws {
        let clock = VirtualClock()
        let errand = Errand(store: MemoryRunStore(), clock: clock)
        try errand.register(greetTask())
        let options = TriggerOptions(idempotencyKey: "k", idempotencyKeyTTL: .seconds(60))
        let first = try await errand.trigger(greetTask(), Greeting(name: "x"), options: options)
        clock.advance(by: .seconds(30))
        #expect(try await errand.trigger(greetTask(), Greeting(name: "x"), options: options) == first)
        clock.advance(by: .seconds(31))
        #expect(try await errand.trigger(greetTask(), Greeting(name: "x"), options: options) != first)
    }

    @Test func batchTriggerCreatesEveryRunInOrder() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let ids = try await errand.batchTrigger(greetTask(), (0..<50).map { Greeting(name: "n\($0)") })
        #expect(ids.count == 50)
        #expect(Set(ids).count == 50)
        let names = try await ids.asyncMap { try await errand.state($0)?.payload }
            .map { try JSONDecoder().decode(Greeting.self, from: try #require($0)).name }
        #expect(names == (0..<50).map { "n\($0)" })
    }

    @Test func batchWithOneBadItemStoresNothingAndNamesTheItem() async throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(greetTask())
        let requests = [
            TriggerRequest(task: "greet", payload: Data(#"{"name":"a"}"#.utf8)),
            TriggerRequest(task: "greet", payload: Data(#"{"nom":"b"}"#.utf8)),
        ]
        let error = await #expect(throws: ErrandError.self) { try await errand.batchTrigger(requests) }
        #expect(error?.message.hasPrefix("item 1:") == true)
        #expect(try await errand.runs().runs.isEmpty)
    }

    @Test func higherPriorityRunsFirstThenEarlierStart() async throws {
        let test = makeTestErrand(concurrency: 1)
        let order = Recorder<String>()
        let task = TaskDefinition<Greeting, NoOutput>("ordered") { payload, _ in
            order.append(payload.name)
            return NoOutput()
        }
        try test.errand.register(task)
        _ = try await test.errand.trigger(task, Greeting(name: "low-early"), options: .init(priority: 0))
        test.clock.advance(by: .seconds(1))
        _ = try await test.errand.trigger(task, Greeting(name: "high"), options: .init(priority: 5))
        _ = try await test.errand.trigger(task, Greeting(name: "low-late"), options: .init(priority: 0))
        try await test.start()
        await test.settle()
        #expect(order.all == ["high", "low-early", "low-late"])
        await test.stop()
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
