import Errand

/// The schemas of the OpenAPI document's `components`.
enum OpenAPIComponents {
    typealias S = OpenAPISchema

    static let schemas: JSONValue = S.object([
        ("Error", S.record([
            ("error", S.record([("code", S.string), ("message", S.string), ("field", S.nullableString)])),
        ])),
        ("RunError", S.record(
            [("type", S.string), ("name", S.string), ("message", S.string), ("stack", S.string)],
            required: ["type", "name", "message"]
        )),
        ("Attempt", S.record([
            ("number", S.integer), ("workerID", S.string), ("startedAt", S.dateTime), ("endedAt", S.nullableDateTime),
            ("outcome", S.nullableString), ("error", S.nullable("RunError")),
        ])),
        ("Run", run),
        ("RunPage", S.record([("runs", S.array(S.ref("Run"))), ("nextCursor", S.nullableString)])),
        ("RunID", S.record([("id", S.string)])),
        ("RunIDList", S.record([("ids", S.array(S.string))])),
        ("BulkResult", S.record([("count", S.integer), ("ids", S.array(S.string))])),
        ("TriggerBody", trigger),
        ("BatchTriggerBody", S.record([("items", S.object([
            ("type", .string("array")), ("items", S.ref("TriggerBody")), ("minItems", .integer(1)), ("maxItems", .integer(1000)),
        ]))], closed: true)),
        ("ReplayBody", S.record([("payload", S.any)], required: [], closed: true)),
        ("RunFilter", S.object([
            ("type", .string("object")), ("minProperties", .integer(1)), ("additionalProperties", .bool(false)),
            ("properties", S.object([
                ("task", S.name), ("status", S.array(S.runStatus)), ("tag", S.text(max: 128)),
                ("createdAfter", S.dateTime), ("createdBefore", S.dateTime),
            ])),
        ])),
        ("BulkBody", S.record([("filter", S.ref("RunFilter"))], closed: true)),
        ("Schedule", schedule),
        ("ScheduleList", S.record([("schedules", S.array(S.ref("Schedule"))), ("nextCursor", S.nullableString)])),
        ("ScheduleCreateBody", S.record(
            [("task", S.name), ("expression", S.text(max: 256)), ("timezone", S.text(max: 64)), ("payload", S.any), ("key", S.text(max: 256))],
            required: ["task", "expression"], closed: true
        )),
        ("TaskList", S.record([("tasks", S.array(task))])),
        ("Queue", S.record([
            ("name", S.string), ("concurrency", S.nullableInteger), ("paused", S.boolean),
            ("counts", S.record(["delayed", "queued", "executing", "retrying", "waiting"].map { ($0, S.integer) })),
        ])),
        ("QueueList", S.record([("queues", S.array(S.ref("Queue")))])),
        ("Token", S.record([
            ("id", S.string), ("status", S.object([("enum", .array(["pending", "completed", "timedOut"].map(JSONValue.string)))])),
            ("runId", S.nullableString), ("value", S.any), ("createdAt", S.dateTime), ("expiresAt", S.nullableDateTime),
            ("resolvedAt", S.nullableDateTime),
        ])),
        ("TokenCompleteBody", S.record([("value", S.any)], required: ["value"], closed: true)),
        ("Session", S.record([
            ("authRequired", S.boolean), ("authenticated", S.boolean),
            ("scope", S.object([("type", .array([.string("string"), .string("null")])), ("enum", .array([.string("read"), .string("write"), .null]))])),
            ("csrfToken", S.nullableString),
        ])),
        ("LoginBody", S.record([("key", S.string)], closed: true)),
        ("Login", S.record([("csrfToken", S.string), ("scope", S.string)])),
        ("Health", S.record(
            [("status", S.string), ("worker", S.record([("id", S.string), ("labels", S.array(S.string)), ("capacity", S.integer)]))],
            required: ["status"]
        )),
        ("PublishBody", S.record(
            [("name", S.text(max: 200)), ("payload", S.any), ("id", orNull(S.text(max: 255))), ("after", after)],
            required: ["name"], closed: true
        )),
        ("PublishedEvent", S.record([("id", S.string), ("name", S.string), ("runs", S.array(S.string))])),
        ("Event", S.record(event)),
        ("EventPage", S.record([("events", S.array(S.ref("Event"))), ("nextCursor", S.nullableString)])),
        ("EventDetail", S.record(event + [("runs", S.array(S.record([("id", S.string), ("task", S.string), ("status", S.runStatus)])))])),
        ("LogLine", S.record([
            ("index", S.nullableInteger), ("attempt", S.integer), ("level", S.string), ("message", S.string),
            ("metadata", S.object([("type", .string("object")), ("additionalProperties", S.string)])), ("time", S.dateTime),
        ])),
        ("LogPage", S.record([("lines", S.array(S.ref("LogLine"))), ("next", S.nullableInteger)])),
    ])

    private static let run: JSONValue = {
        let nullableStrings = [
            "concurrencyKey", "idempotencyKey", "progressMessage", "resultNote", "errorMessage", "errorStack", "workerID",
            "replayOf", "parentID", "scheduleID",
        ]
        let nullableDates = [
            "idempotencyExpiresAt", "submittedAt", "completedAt", "failedAt", "canceledAt", "expiresAt", "leaseExpiresAt",
            "cancelRequestedAt", "occurrenceAt",
        ]
        var properties: [(String, JSONValue)] = [
            ("id", S.string), ("sequence", S.integer), ("task", S.string), ("queue", S.string), ("status", S.runStatus),
            ("priority", S.integer), ("payload", S.any), ("tags", S.array(S.string)), ("createdAt", S.dateTime),
            ("scheduledAt", S.dateTime), ("updatedAt", S.dateTime), ("attemptCount", S.integer), ("maxAttempts", S.integer),
            ("executionTime", S.number), ("progressPercent", S.nullableNumber), ("result", S.any), ("error", S.nullable("RunError")),
            ("origin", S.string), ("eventID", S.nullableString), ("requiredLabels", S.array(S.string)), ("cost", S.integer),
        ]
        properties += nullableStrings.map { ($0, S.nullableString) } + nullableDates.map { ($0, S.nullableDateTime) }
        let required = properties.map(\.0)
        properties.append(("attempts", S.array(S.ref("Attempt"))))
        return S.record(properties, required: required)
    }()

    /// A published event's fields.
    private static let event: [(String, JSONValue)] = [
        ("id", S.string), ("name", S.string), ("payload", S.any), ("publishedAt", S.dateTime), ("origin", S.string),
        ("runIDs", S.array(S.string)),
    ]

    /// `after` of a trigger or a publication: a delay or a time.
    private static let after: JSONValue = S.object([("oneOf", .array([
        S.object([("type", .string("number")), ("description", .string("milliseconds from now, or an epoch in milliseconds"))]),
        S.object([("type", .string("string")), ("description", .string("\"10 minutes\", \"1 hour\" or an ISO-8601 date-time"))]),
        S.object([("type", .string("null"))]),
    ]))])

    private static let trigger: JSONValue = S.record([
        ("payload", S.any),
        ("after", after),
        // null means "not given" for every optional field, as the server reads it.
        ("priority", orNull(S.object([("type", .string("integer")), ("minimum", .integer(Int64(Int32.min))), ("maximum", .integer(Int64(Int32.max)))]))),
        ("tags", orNull(S.object([("type", .string("array")), ("items", S.text(max: 128)), ("maxItems", .integer(10))]))),
        ("idempotencyKey", orNull(S.text(max: 256))), ("concurrencyKey", orNull(S.text(max: 256))),
    ], required: [], closed: true)

    /// A schema that also accepts `null`.
    private static func orNull(_ schema: JSONValue) -> JSONValue {
        S.object([("anyOf", .array([schema, S.object([("type", .string("null"))])]))])
    }

    private static let schedule: JSONValue = {
        let required: [(String, JSONValue)] = [
            ("id", S.string), ("key", S.string), ("task", S.string), ("expression", S.string), ("kind", S.string),
            ("timeZone", S.string), ("payload", S.any), ("catchUp", S.string), ("overlap", S.string), ("paused", S.boolean),
            ("declared", S.boolean), ("nextFireTimes", S.array(S.dateTime)), ("createdAt", S.dateTime), ("updatedAt", S.dateTime),
        ]
        let optional: [(String, JSONValue)] = [
            ("externalID", S.string), ("anchor", S.dateTime), ("lastOccurrenceAt", S.dateTime), ("lastRunID", S.string),
            ("bufferedOccurrenceAt", S.dateTime),
        ]
        return S.record(required + optional, required: required.map(\.0))
    }()

    private static let task: JSONValue = S.record([
        ("name", S.string), ("queue", S.string),
        ("options", S.record([
            ("timeoutSeconds", S.number), ("maxDurationSeconds", S.nullableNumber),
            ("retry", S.record([
                ("maxAttempts", S.integer), ("minDelaySeconds", S.number), ("maxDelaySeconds", S.number), ("factor", S.number),
                ("jitter", S.number),
            ])),
            ("concurrency", S.nullableInteger), ("priority", S.integer), ("ttlSeconds", S.nullableNumber), ("tags", S.array(S.string)),
        ])),
        ("schedules", S.array(S.ref("Schedule"))),
    ])
}
