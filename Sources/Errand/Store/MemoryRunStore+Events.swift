import Foundation

extension MemoryRunStore {
    public func publishEvent(_ event: EventRecord, runs: [NewRun], now: Date) async throws -> PublishResult {
        state.withLock { state in
            if let existing = state.events[event.id] { return PublishResult(event: existing, created: false) }
            var stored = event
            // Each run carries the event's id, whatever the caller set.
            let stamped = runs.map { run in
                var run = run
                run.eventID = event.id
                return run
            }
            stored.runIDs = Self.insert(stamped, now: now, into: &state).map(\.id)
            state.events[event.id] = stored
            state.eventOrder.append(event.id)
            return PublishResult(event: stored, created: true)
        }
    }

    public func event(id: String) async throws -> EventRecord? {
        state.withLock { $0.events[id] }
    }

    public func listEvents(_ query: EventQuery) async throws -> EventPage {
        let before = try query.cursor.map(RunQuery.sequence(fromCursor:))
        let limit = max(1, min(query.limit, 1000))
        return state.withLock { state in
            var page: [EventRecord] = []
            var last: Int64?
            for (offset, id) in state.eventOrder.enumerated().reversed() {
                let position = Int64(offset + 1)
                if let before, position >= before { continue }
                guard let event = state.events[id], query.name.map({ $0 == event.name }) ?? true else { continue }
                if page.count == limit { return EventPage(events: page, nextCursor: last.map(RunQuery.cursor(afterSequence:))) }
                page.append(event)
                last = position
            }
            return EventPage(events: page, nextCursor: nil)
        }
    }

    public func replaceSubscriptions(_ subscriptions: [EventSubscription], forTasks tasks: Set<String>) async throws {
        state.withLock { state in
            state.subscriptions.removeAll { tasks.contains($0.task) }
            // A subscription is identified by (task, pattern): a later one replaces an earlier one.
            for subscription in subscriptions {
                state.subscriptions.removeAll { $0.task == subscription.task && $0.pattern == subscription.pattern }
                state.subscriptions.append(subscription)
            }
        }
    }

    public func subscriptions() async throws -> [EventSubscription] {
        state.withLock { $0.subscriptions }
    }

    public func appendLogs(_ lines: [RunLogLine]) async throws {
        state.withLock { state in
            for line in lines {
                var log = state.logs[line.runID] ?? []
                guard log.count < RunLogLine.maximumPerRun else { continue }
                var stored = line
                stored.index = log.count + 1
                if stored.index == RunLogLine.maximumPerRun {
                    stored = .truncationMarker(runID: line.runID, attempt: line.attempt, at: line.at)
                }
                log.append(stored)
                state.logs[line.runID] = log
            }
        }
    }

    public func logs(runID: RunID, after index: Int, limit: Int) async throws -> [RunLogLine] {
        state.withLock { state in
            Array((state.logs[runID] ?? []).filter { $0.index > index }.prefix(max(0, limit)))
        }
    }
}
