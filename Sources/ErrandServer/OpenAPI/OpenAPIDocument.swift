import Errand
import Foundation

/// The OpenAPI 3.1 document served at `/openapi.json`: every route of the server, its
/// parameters, request bodies and response schemas.
public enum OpenAPIDocument {
    typealias S = OpenAPISchema

    private static let read = [400, 401, 404]
    private static let write = [400, 401, 403, 404, 409, 413]
    private static let id = "{id}"

    /// The routes the document describes.
    static let operations: [OpenAPIOperation] = [
        OpenAPIOperation(method: "get", path: "/api/v1/tasks", id: "listTasks", summary: "Tasks with their options and schedules", success: (200, "TaskList"), errors: [401]),
        OpenAPIOperation(
            method: "post", path: "/api/v1/tasks/{task}/trigger", id: "triggerTask", summary: "Trigger a run",
            body: ("TriggerBody", false), success: (202, "RunID"), errors: write, links: ["getRun", "cancelRun", "replayRun"]
        ),
        OpenAPIOperation(
            method: "post", path: "/api/v1/tasks/{task}/batch-trigger", id: "batchTriggerTask", summary: "Trigger many runs (all or nothing)",
            body: ("BatchTriggerBody", true), success: (202, "RunIDList"), errors: write
        ),
        OpenAPIOperation(
            method: "get", path: "/api/v1/runs", id: "listRuns", summary: "Runs, newest first, a page at a time",
            query: [
                ("task", S.nameOrEmpty), ("status", S.array(S.runStatus)), ("tag", S.object([("type", .string("string")), ("maxLength", .integer(128))])),
                ("createdAfter", S.dateTimeOrEmpty), ("createdBefore", S.dateTimeOrEmpty),
                ("origin", S.object([
                    ("type", .string("string")),
                    ("description", .string("kind or kind:reference: apiKey:deploy, dashboard, cli:ada, event:evt_…, schedule:…, parent:run_…, replay:run_…, app")),
                ])),
                ("eventId", S.string),
                ("cursor", S.cursor), ("limit", S.limit),
            ],
            success: (200, "RunPage"), errors: read
        ),
        OpenAPIOperation(
            method: "get", path: "/api/v1/runs/\(id)/logs", id: "listRunLogs",
            summary: "A run's log lines in order, at or above a level, a page at a time",
            query: [
                ("after", S.object([("type", .string("integer")), ("minimum", .integer(0)), ("maximum", .integer(Int64(Int32.max)))])),
                ("limit", S.limit),
                ("level", S.object([("type", .string("string")), ("enum", .array((LogLevel.names + [""]).map(JSONValue.string)))])),
            ],
            success: (200, "LogPage"), errors: read
        ),
        OpenAPIOperation(
            method: "post", path: "/api/v1/events", id: "publishEvent",
            summary: "Publish an event: one run per subscribed task (the id deduplicates: 200 when it was published)",
            body: ("PublishBody", true), success: (201, "PublishedEvent"), errors: [400, 401, 403, 413], links: ["getEvent"], alsoSuccess: [200]
        ),
        OpenAPIOperation(
            method: "get", path: "/api/v1/events", id: "listEvents", summary: "Published events, newest first, a page at a time",
            query: [("name", S.object([("type", .string("string")), ("maxLength", .integer(200))])), ("cursor", S.cursor), ("limit", S.limit)],
            success: (200, "EventPage"), errors: read
        ),
        OpenAPIOperation(
            method: "get", path: "/api/v1/events/\(id)", id: "getEvent", summary: "A published event with the runs it caused",
            success: (200, "EventDetail"), errors: read
        ),
        OpenAPIOperation(method: "get", path: "/api/v1/runs/\(id)", id: "getRun", summary: "A run with its attempts", success: (200, "Run"), errors: read),
        OpenAPIOperation(method: "post", path: "/api/v1/runs/\(id)/cancel", id: "cancelRun", summary: "Cancel a run", success: (200, "Run"), errors: write),
        OpenAPIOperation(
            method: "post", path: "/api/v1/runs/\(id)/replay", id: "replayRun", summary: "Replay a run, optionally with a new payload",
            body: ("ReplayBody", false), success: (202, "RunID"), errors: write
        ),
        OpenAPIOperation(
            method: "get", path: "/api/v1/runs/\(id)/stream", id: "streamRun",
            summary: "Server-sent events: the run, each new state, then `end`", success: (200, "text/event-stream"), errors: read
        ),
        OpenAPIOperation(
            method: "post", path: "/api/v1/runs/bulk-cancel", id: "bulkCancelRuns", summary: "Cancel the unfinished runs matching a filter",
            body: ("BulkBody", true), success: (200, "BulkResult"), errors: write
        ),
        OpenAPIOperation(
            method: "post", path: "/api/v1/runs/bulk-replay", id: "bulkReplayRuns", summary: "Replay the runs matching a filter",
            body: ("BulkBody", true), success: (200, "BulkResult"), errors: write
        ),
        OpenAPIOperation(
            method: "get", path: "/api/v1/stream", id: "streamEvents", summary: "Server-sent events: every run event",
            success: (200, "text/event-stream"), errors: [401]
        ),
        OpenAPIOperation(
            method: "get", path: "/api/v1/schedules", id: "listSchedules", summary: "Schedules with their next five fire times",
            query: [
                ("task", S.nameOrEmpty), ("cursor", S.string), ("limit", S.limit),
            ],
            success: (200, "ScheduleList"), errors: read
        ),
        OpenAPIOperation(
            method: "post", path: "/api/v1/schedules", id: "createSchedule", summary: "Create a schedule (the key deduplicates: 200 when it existed)",
            body: ("ScheduleCreateBody", true), success: (201, "Schedule"), errors: write,
            links: ["pauseSchedule", "resumeSchedule", "deleteSchedule"], alsoSuccess: [200]
        ),
        OpenAPIOperation(method: "post", path: "/api/v1/schedules/\(id)/pause", id: "pauseSchedule", summary: "Pause a schedule", success: (200, "Schedule"), errors: write),
        OpenAPIOperation(method: "post", path: "/api/v1/schedules/\(id)/resume", id: "resumeSchedule", summary: "Resume a schedule", success: (200, "Schedule"), errors: write),
        OpenAPIOperation(method: "delete", path: "/api/v1/schedules/\(id)", id: "deleteSchedule", summary: "Delete a schedule", success: (200, "Schedule"), errors: write),
        OpenAPIOperation(method: "get", path: "/api/v1/tokens/\(id)", id: "getToken", summary: "A wait token", success: (200, "Token"), errors: [401, 404]),
        OpenAPIOperation(
            method: "post", path: "/api/v1/tokens/\(id)/complete", id: "completeToken", summary: "Complete a wait token: its waiting run resumes",
            body: ("TokenCompleteBody", true), success: (200, "Token"), errors: write
        ),
        OpenAPIOperation(method: "get", path: "/api/v1/queues", id: "listQueues", summary: "Queues with their limits and depths", success: (200, "QueueList"), errors: [401]),
        OpenAPIOperation(method: "post", path: "/api/v1/queues/{name}/pause", id: "pauseQueue", summary: "Pause a queue", success: (200, "Queue"), errors: write),
        OpenAPIOperation(method: "post", path: "/api/v1/queues/{name}/resume", id: "resumeQueue", summary: "Resume a queue", success: (200, "Queue"), errors: write),
        OpenAPIOperation(method: "get", path: "/api/v1/session", id: "getSession", summary: "Whether a key is needed and who is logged in", success: (200, "Session"), errors: []),
        OpenAPIOperation(
            method: "post", path: "/login", id: "login", summary: "Log in with an API key: sets the session cookie",
            body: ("LoginBody", true), success: (200, "Login"), errors: [400, 401, 413]
        ),
        OpenAPIOperation(method: "post", path: "/logout", id: "logout", summary: "Log out: clears the session cookie", success: (204, nil), errors: []),
        OpenAPIOperation(method: "get", path: "/healthz", id: "health", summary: "Liveness", success: (200, "Health"), errors: []),
        OpenAPIOperation(method: "get", path: "/metrics", id: "metrics", summary: "Prometheus metrics", success: (200, "text/plain"), errors: []),
        OpenAPIOperation(method: "get", path: "/openapi.json", id: "openapi", summary: "This document", success: (200, nil), errors: []),
        OpenAPIOperation(method: "get", path: "/", id: "dashboard", summary: "The dashboard page", success: (200, "text/html"), errors: [404]),
        OpenAPIOperation(
            method: "get", path: "/assets/{file}", id: "dashboardAsset", summary: "A dashboard file (app.js, app.css)",
            success: (200, "text/plain"), errors: [404]
        ),
    ]

    /// The (method, path) pairs of the document, methods upper-case.
    public static var routes: [(method: String, path: String)] { operations.map { ($0.method.uppercased(), $0.path) } }

    /// The methods of the routes whose path pattern matches `path` (a `{name}` matches any one
    /// segment), upper-case and sorted; empty when no route has this path.
    static func methods(forPath path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        // Like the router, a literal segment wins over a `{name}`: keep the most literal matches.
        let matches = operations.compactMap { operation -> (literals: Int, method: String)? in
            let pattern = operation.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count, zip(pattern, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) else { return nil }
            return (pattern.filter { !$0.hasPrefix("{") }.count, operation.method.uppercased())
        }
        let best = matches.map(\.literals).max()
        return Set(matches.filter { $0.literals == best }.map(\.method)).sorted()
    }

    /// The document for a server whose registered tasks are `taskNames` (listed as the values
    /// of `{task}`).
    public static func document(taskNames: [String]) -> JSONValue {
        var paths: [String: [(String, JSONValue)]] = [:]
        for operation in operations { paths[operation.path, default: []].append((operation.method, operation.json(taskNames: taskNames))) }
        return S.object([
            ("openapi", .string("3.1.0")),
            ("info", S.object([
                ("title", .string("Errand")), ("version", .string("1.0.0")),
                ("description", .string("Durable tasks: trigger, inspect and control runs, schedules and queues; publish events.")),
            ])),
            ("paths", S.object(paths.map { ($0.key, S.object($0.value)) })),
            ("components", S.object([
                ("schemas", OpenAPIComponents.schemas),
                ("securitySchemes", S.object([
                    ("bearer", S.object([("type", .string("http")), ("scheme", .string("bearer"))])),
                    ("session", S.object([("type", .string("apiKey")), ("in", .string("cookie")), ("name", .string("errand_session"))])),
                ])),
            ])),
            ("security", .array([S.object([]), S.object([("bearer", .array([]))]), S.object([("session", .array([]))])])),
        ])
    }

    /// The document as JSON.
    public static func json(taskNames: [String]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document(taskNames: taskNames))
    }
}
