import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Run logs")
struct RunLogTests {
    @Test func linesAHandlerLogsAreStoredWithTheirAttemptAndStreamedLive() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("chatty", options: TaskOptions(retry: exactRetry)) { payload, ctx in
            ctx.logger.info("hello \(payload.name)", metadata: ["step": "greet"])
            if ctx.attempt == 1 {
                ctx.logger.error("failing on purpose")
                throw Boom()
            }
            ctx.logger.debug("below the level: not stored")
            return Reply(text: "ok")
        }
        try test.errand.register(task)
        let events = test.errand.events()
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "logs"))
        let run = try await test.runUntilFinished(id)
        #expect(run.status == .completed)
        let lines = try await test.errand.logs(of: id)
        #expect(lines.map(\.message) == ["hello logs", "failing on purpose", "hello logs"])
        #expect(lines.map(\.attempt) == [1, 1, 2])
        #expect(lines.map(\.index) == [1, 2, 3])
        #expect(lines.map(\.level) == ["info", "error", "info"])
        #expect(lines.first?.metadata == ["step": "greet"])
        #expect(try await test.errand.logs(of: id, after: 2).map(\.index) == [3])
        var live: [String] = []
        for await event in events where event.runID == id {
            if event.kind == .log, let message = event.message { live.append(message) }
            if event.status == .completed { break }
        }
        #expect(live == ["hello logs", "failing on purpose", "hello logs"])
        await test.stop()
    }

    @Test func aRunKeepsAtMostTheBoundAndMarksTheTruncation() async throws {
        let test = makeTestErrand()
        let task = TaskDefinition<Greeting, Reply>("flood", options: TaskOptions(retry: .none)) { _, ctx in
            for index in 0..<(RunLogLine.maximumPerRun + 250) { ctx.logger.info("line \(index)") }
            return Reply(text: "ok")
        }
        try test.errand.register(task)
        try await test.start()
        let id = try await test.errand.trigger(task, Greeting(name: "x"))
        _ = try await test.runUntilFinished(id)
        let lines = try await test.errand.logs(of: id, limit: 1000)
        try #require(lines.count == RunLogLine.maximumPerRun)
        #expect(lines.last?.isTruncationMarker == true)
        #expect(lines[998].message == "line 998")
        await #expect(throws: ErrandError.self) { try await test.errand.logs(of: id, limit: 0) }
        await test.stop()
    }
}

extension RunLogTests {
    @Test func logLinesAreNumberedAfterTheLastStoredLineAndCappedWithAMarker() {
        let a = RunID("run_a"), b = RunID("run_b")
        let at = Date(timeIntervalSince1970: 0)
        let lines = [a, b, a, a].map { RunLogLine(runID: $0, attempt: 1, level: "info", message: "x", at: at) }
        let numbered = RunLogLine.numbered(lines) { $0 == a ? RunLogLine.maximumPerRun - 2 : 0 }
        #expect(numbered.map(\.index) == [RunLogLine.maximumPerRun - 1, 1, RunLogLine.maximumPerRun])
        #expect(numbered.last?.isTruncationMarker == true, "the line that reaches the bound is the marker; later ones are dropped")
    }
}
