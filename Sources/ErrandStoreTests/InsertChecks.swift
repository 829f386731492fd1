import Errand
import Foundation
import Testing

/// Inserting runs and reading them back; idempotency keys.
enum InsertChecks {
    static func insertAndReadBack(_ store: any RunStore) async throws {
        let parentID = try await store.insert([makeRun(task: "parent")])[0]
        let new = NewRun(
            task: "send-email", queue: "mail", concurrencyKey: "tenant-1", priority: 7, payload: samplePayload,
            tags: ["b", "a", "c"], idempotencyKey: "key-1", idempotencyExpiresAt: at(3600), scheduledAt: at(-5),
            expiresAt: at(600), maxAttempts: 5, replayOf: parentID, parentID: parentID, scheduleID: "schedule-1",
            occurrenceAt: at(-60)
        )
        try await store.insert([new], now: at(1))
        let read = try await store.fetch(new.id)
        #expect(read.id == new.id)
        #expect(read.task == "send-email")
        #expect(read.queue == "mail")
        #expect(read.concurrencyKey == "tenant-1")
        #expect(read.priority == 7)
        #expect(read.payload == samplePayload, "payload bytes must round-trip exactly")
        #expect(read.tags == ["b", "a", "c"], "tags keep their order")
        #expect(read.idempotencyKey == "key-1")
        #expect(read.idempotencyExpiresAt == at(3600))
        #expect(read.createdAt == at(1))
        #expect(read.updatedAt == at(1))
        #expect(read.scheduledAt == at(-5))
        #expect(read.expiresAt == at(600))
        #expect(read.maxAttempts == 5)
        #expect(read.replayOf == parentID)
        #expect(read.parentID == parentID)
        #expect(read.scheduleID == "schedule-1")
        #expect(read.occurrenceAt == at(-60))
        #expect(read.status == .queued)
        #expect(read.attemptCount == 0)
        #expect(read.sequence > 0)
        #expect(read == new.record(sequence: read.sequence, now: at(1)), "every other field as NewRun.record(sequence:now:) makes it")
    }

    static func unknownRunReadsAsNil(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        #expect(try await store.run(id: "run_doesnotexist") == nil)
    }

    static func statusFollowsScheduledAt(_ store: any RunStore) async throws {
        let past = makeRun(due: at(-10)), now = makeRun(due: at(0)), future = makeRun(due: at(1))
        try await store.insert([past, now, future], now: t0)
        #expect(try await store.fetch(past.id).status == .queued, "due in the past")
        #expect(try await store.fetch(now.id).status == .queued, "due exactly now")
        #expect(try await store.fetch(future.id).status == .delayed, "due after now")
    }

    static func sequenceIncreases(_ store: any RunStore) async throws {
        var ids = try await store.insert((0..<3).map { _ in makeRun() }, now: at(0))
        ids += try await store.insert((0..<2).map { _ in makeRun() }, now: at(1))
        ids += try await store.insert([makeRun()], now: at(1))
        var sequences: [Int64] = []
        for id in ids { sequences.append(try await store.fetch(id).sequence) }
        #expect(sequences.allSatisfy { $0 > 0 })
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "sequences \(sequences) must increase in insert order")
    }

    static func batchInsertsMany(_ store: any RunStore) async throws {
        let runs = (0..<1000).map { index in makeRun(task: "bulk", tags: ["n\(index)"]) }
        let ids = try await store.insert(runs)
        #expect(Set(ids).count == 1000)
        let listed = try await store.listRuns(RunQuery(task: "bulk", limit: 1000))
        #expect(listed.runs.count == 1000)
        #expect(listed.nextCursor == nil)
        #expect(listed.runs.map(\.id) == ids.reversed(), "listed newest first in insert order")
        #expect(try await store.fetch(ids[500]).tags == ["n500"])
    }

    static func batchInsertKeepsEveryField(_ store: any RunStore) async throws {
        // Stores may write a batch differently from a single run (PostgreSQL: one array per
        // column): every field must still round-trip, NULLs and empty lists included.
        let parentID = try await store.insert([makeRun(task: "parent")])[0]
        let runs = (0..<12).map { index in
            let odd = !index.isMultiple(of: 2)
            return NewRun(
                task: "batch", queue: odd ? "q1" : "q2", concurrencyKey: odd ? "tenant-\(index)" : nil, priority: index - 6,
                payload: Data([0, 255, UInt8(index), 0x22, 0x5C]) + samplePayload,
                tags: odd ? ["zoë", "a \"quoted\" tag", "back\\slash", "n\(index)"] : [],
                scheduledAt: at(Double(index % 3) - 1), expiresAt: odd ? at(600 + Double(index)) : nil, maxAttempts: index + 1,
                replayOf: odd ? parentID : nil, parentID: odd ? nil : parentID, scheduleID: odd ? "schedule-\(index)" : nil,
                depth: index % 5, awaited: odd, origin: odd ? RunOrigin(.apiKey, "key-\(index)") : RunOrigin(.cli),
                eventID: odd ? nil : "event-\(index)", requiredLabels: odd ? ["gpu", "éu-west"] : [], cost: index % 4 + 1
            )
        }
        let ids = try await store.insert(runs, now: at(0))
        #expect(ids == runs.map(\.id))
        var sequences: [Int64] = []
        for run in runs {
            let read = try await store.fetch(run.id)
            #expect(read == run.record(sequence: read.sequence, now: at(0)), "run \(run.id) reads back as inserted")
            sequences.append(read.sequence)
        }
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "sequences \(sequences) increase in batch order")
    }

    static func idempotencyReturnsExistingRun(_ store: any RunStore) async throws {
        let first = makeRun(task: "email", idempotencyKey: "order-1")
        try await store.insert([first], now: t0)
        let second = makeRun(task: "email", idempotencyKey: "order-1")
        let results = try await store.insertRuns([second], now: at(10))
        #expect(results == [InsertResult(id: first.id, created: false)])
        #expect(try await store.run(id: second.id) == nil, "the duplicate is not inserted")
        #expect(try await store.listRuns(RunQuery(task: "email")).runs.map(\.id) == [first.id])
    }

    static func idempotencyWithinOneBatch(_ store: any RunStore) async throws {
        let first = makeRun(task: "email", idempotencyKey: "order-1")
        let duplicate = makeRun(task: "email", idempotencyKey: "order-1")
        let other = makeRun(task: "email", idempotencyKey: "order-2")
        let results = try await store.insertRuns([first, duplicate, other], now: t0)
        #expect(results == [
            InsertResult(id: first.id, created: true),
            InsertResult(id: first.id, created: false),
            InsertResult(id: other.id, created: true),
        ])
    }

    static func idempotencyKeyIsPerTask(_ store: any RunStore) async throws {
        let email = makeRun(task: "email", idempotencyKey: "shared")
        let sms = makeRun(task: "sms", idempotencyKey: "shared")
        let results = try await store.insertRuns([email, sms], now: t0)
        #expect(results == [InsertResult(id: email.id, created: true), InsertResult(id: sms.id, created: true)])
        #expect(try await store.fetch(sms.id).idempotencyKey == "shared")
    }

    static func expiredIdempotencyKeyIsReleased(_ store: any RunStore) async throws {
        let old = makeRun(task: "email", idempotencyKey: "k", keyExpiresAt: at(60))
        try await store.insert([old], now: t0)
        let early = try await store.insertRuns([makeRun(task: "email", idempotencyKey: "k")], now: at(30))
        #expect(early == [InsertResult(id: old.id, created: false)], "the key holds before it expires")
        let new = makeRun(task: "email", idempotencyKey: "k", keyExpiresAt: at(200))
        let late = try await store.insertRuns([new], now: at(61))
        #expect(late == [InsertResult(id: new.id, created: true)], "an expired key makes a new run")
        #expect(try await store.fetch(old.id).idempotencyKey == nil, "the old run loses its expired key")
        #expect(try await store.fetch(new.id).idempotencyKey == "k")
        let again = try await store.insertRuns([makeRun(task: "email", idempotencyKey: "k")], now: at(62))
        #expect(again == [InsertResult(id: new.id, created: false)], "the key now maps to the new run")
    }
}
