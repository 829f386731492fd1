import Errand
import Foundation
import Testing

/// Listing runs: order, filters and cursors.
enum ListingChecks {
    static func listsNewestFirst(_ store: any RunStore) async throws {
        var ids: [RunID] = []
        for second in 0..<5 { ids += try await store.insertDue(1, now: at(TimeInterval(second))) }
        let page = try await store.listRuns(RunQuery())
        #expect(page.runs.map(\.id) == ids.reversed())
        #expect(page.nextCursor == nil)
    }

    static func listingsOmitAttempts(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne()
        #expect(try await store.fetch(run.id).attempts.count == 1)
        let listed = try await store.listRuns(RunQuery())
        #expect(listed.runs.map(\.id) == [run.id])
        #expect(listed.runs.first?.attempts == [], "attempts are only filled by run(id:)")
        #expect(listed.runs.first?.status == .executing)
    }

    static func filtersByTask(_ store: any RunStore) async throws {
        let email = try await store.insert([makeRun(task: "email"), makeRun(task: "sms"), makeRun(task: "email")])
        let page = try await store.listRuns(RunQuery(task: "email"))
        #expect(page.runs.map(\.id) == [email[2], email[0]])
        #expect(try await store.listRuns(RunQuery(task: "nothing")).runs.isEmpty)
    }

    static func filtersByStatus(_ store: any RunStore) async throws {
        let ids = try await store.insertDue(4)
        try await store.insert([makeRun(due: at(100))])
        let runs = try await store.claim(limit: 2)
        try await store.complete(completion(of: runs[0], .completed, at: at(1)))
        let page = try await store.listRuns(RunQuery(statuses: [.completed, .executing]))
        #expect(page.runs.map(\.id) == [ids[1], ids[0]])
        #expect(try await store.ids(in: [.queued]) == [ids[2], ids[3]])
        #expect(try await store.ids(in: [.delayed]).count == 1)
        #expect(try await store.ids(in: [.failed]).isEmpty)
    }

    static func filtersByTag(_ store: any RunStore) async throws {
        let ids = try await store.insert([
            makeRun(tags: ["red", "big"]), makeRun(tags: ["blue"]), makeRun(tags: ["big"]), makeRun(),
        ])
        #expect(try await store.listRuns(RunQuery(tag: "big")).runs.map(\.id) == [ids[2], ids[0]])
        #expect(try await store.listRuns(RunQuery(tag: "blue")).runs.map(\.id) == [ids[1]])
        #expect(try await store.listRuns(RunQuery(tag: "bi")).runs.isEmpty, "tags match whole")
    }

    static func filtersByCreatedRange(_ store: any RunStore) async throws {
        var ids: [RunID] = []
        for second in [0, 10, 20, 30] { ids += try await store.insertDue(1, now: at(TimeInterval(second))) }
        let range = try await store.listRuns(RunQuery(createdFrom: at(10), createdTo: at(30)))
        #expect(range.runs.map(\.id) == [ids[2], ids[1]], "from is inclusive, to exclusive")
        #expect(try await store.listRuns(RunQuery(createdFrom: at(15))).runs.map(\.id) == [ids[3], ids[2]])
        #expect(try await store.listRuns(RunQuery(createdTo: at(10))).runs.map(\.id) == [ids[0]])
    }

    static func paginatesWithCursor(_ store: any RunStore) async throws {
        let ids = try await store.insertDue(25)
        let pages = try await Self.pages(of: RunQuery(limit: 10), from: store)
        #expect(pages.map(\.runs.count) == [10, 10, 5])
        #expect(pages.map { $0.nextCursor == nil } == [false, false, true], "nextCursor is nil on the last page only")
        #expect(pages.flatMap(\.runs).map(\.id) == ids.reversed(), "every run once, newest first")
    }

    static func fullLastPageHasNoCursor(_ store: any RunStore) async throws {
        try await store.insertDue(20)
        let pages = try await Self.pages(of: RunQuery(limit: 10), from: store)
        #expect(pages.map(\.runs.count) == [10, 10])
        #expect(pages.last?.nextCursor == nil, "no cursor pointing at an empty page")
    }

    static func paginatesFilteredRuns(_ store: any RunStore) async throws {
        let ids = try await store.insert((0..<30).map { index in makeRun(task: index.isMultiple(of: 2) ? "even" : "odd") })
        let pages = try await Self.pages(of: RunQuery(task: "even", limit: 10), from: store)
        #expect(pages.map(\.runs.count) == [10, 5])
        let even = ids.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element)
        #expect(pages.flatMap(\.runs).map(\.id) == even.reversed())
    }

    static func rejectsInvalidCursor(_ store: any RunStore) async throws {
        try await store.insertDue(3)
        let error = await #expect(throws: ErrandError.self) {
            try await store.listRuns(RunQuery(cursor: "not-a-cursor"))
        }
        #expect(error?.field == "cursor")
        #expect(error?.code == .invalidArgument)
    }

    /// Every page of a query, following cursors (at most 100 pages).
    private static func pages(of query: RunQuery, from store: any RunStore) async throws -> [RunPage] {
        var query = query
        var pages: [RunPage] = []
        repeat {
            let page = try await store.listRuns(query)
            pages.append(page)
            query.cursor = page.nextCursor
        } while query.cursor != nil && pages.count < 100
        return pages
    }
}
