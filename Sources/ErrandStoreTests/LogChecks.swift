import Errand
import Foundation
import Testing

/// Run logs: numbered per run, bounded with a marker, paged, pruned with their run.
enum LogChecks {
    static func logsAreNumberedAcrossAppendsAndAttempts(_ store: any RunStore) async throws {
        let ids = try await store.insertDue(2)
        let (run, other) = (ids[0], ids[1])
        let first = [
            logLine(run, "starting zoë ✓", metadata: ["user": "42", "quote": "say \"hi\"\n"], second: 1),
            logLine(other, "other run", level: "debug", second: 1),
            logLine(run, "half way", level: "warning", second: 2),
        ]
        try await store.appendLogs(first)
        try await store.appendLogs([])
        try await store.appendLogs([logLine(run, attempt: 2, "second attempt", level: "error", second: 9), logLine(other, "more", second: 9)])
        let lines = try await store.logs(runID: run, after: 0, limit: 100)
        #expect(lines.map(\.index) == [1, 2, 3], "numbering continues after the run's last line")
        #expect(lines.map(\.message) == ["starting zoë ✓", "half way", "second attempt"])
        #expect(lines.map(\.attempt) == [1, 1, 2])
        #expect(lines.map(\.level) == ["info", "warning", "error"])
        #expect(lines[0].metadata == ["user": "42", "quote": "say \"hi\"\n"], "metadata round-trips")
        #expect(lines[1].metadata.isEmpty)
        #expect(lines.map(\.at) == [at(1), at(2), at(9)])
        #expect(lines.allSatisfy { $0.runID == run })
        #expect(try await store.logs(runID: other, after: 0, limit: 100).map(\.index) == [1, 2], "each run numbers its own lines")
        #expect(try await store.logs(runID: "run_unknown", after: 0, limit: 100).isEmpty)
    }

    static func logsAreCappedWithMarker(_ store: any RunStore) async throws {
        let run = try await store.insertDue(1)[0]
        let bound = RunLogLine.maximumPerRun
        try await store.appendLogs((1...(bound - 3)).map { logLine(run, "line \($0)") })
        try await store.appendLogs((1...10).map { logLine(run, attempt: 2, "late \($0)", second: 5) })
        try await store.appendLogs([logLine(run, attempt: 3, "after the bound", second: 7)])
        let lines = try await store.logs(runID: run, after: 0, limit: bound + 50)
        #expect(lines.count == bound, "a run keeps at most \(bound) lines")
        #expect(lines.map(\.index) == Array(1...bound))
        let last = try #require(lines.last)
        #expect(last.isTruncationMarker, "the line reaching the bound is the marker")
        #expect(last == RunLogLine.truncationMarker(runID: run, attempt: 2, at: at(5)))
        #expect(lines[bound - 2].message == "late 2", "the lines before the bound are kept")
        #expect(!lines.dropLast().contains { $0.isTruncationMarker })
        #expect(!lines.contains { $0.message == "after the bound" }, "nothing is stored after the marker")
    }

    static func logsPageWithAfterAndLimit(_ store: any RunStore) async throws {
        let run = try await store.insertDue(1)[0]
        try await store.appendLogs((1...6).map { logLine(run, "line \($0)", second: Double($0)) })
        #expect(try await store.logs(runID: run, after: 2, limit: 2).map(\.index) == [3, 4])
        #expect(try await store.logs(runID: run, after: 4, limit: 10).map(\.message) == ["line 5", "line 6"])
        #expect(try await store.logs(runID: run, after: 6, limit: 10).isEmpty)
        #expect(try await store.logs(runID: run, after: 0, limit: 0).isEmpty)
    }

    static func pruneDeletesLogs(_ store: any RunStore) async throws {
        try await store.insertDue(2)
        let runs = try await store.claim(limit: 2)
        try #require(runs.count == 2)
        try await store.appendLogs(runs.map { logLine($0.id, "hello") })
        try await store.complete(completion(of: runs[0], .completed, at: at(10)))
        try await store.complete(completion(of: runs[1], .failed, at: at(10)))
        #expect(try await store.pruneRuns(finishedBefore: [.completed: at(20)], limit: 10) == 1)
        #expect(try await store.logs(runID: runs[0].id, after: 0, limit: 10).isEmpty, "the pruned run's lines are deleted")
        #expect(try await store.logs(runID: runs[1].id, after: 0, limit: 10).count == 1, "other runs keep theirs")
    }
}
