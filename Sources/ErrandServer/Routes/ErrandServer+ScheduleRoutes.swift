import Errand
import Foundation
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/schedules`, `POST /api/v1/schedules`, `POST /api/v1/schedules/{id}/pause`,
    /// `POST /api/v1/schedules/{id}/resume`, `DELETE /api/v1/schedules/{id}`.
    func addScheduleRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/schedules") { request, _ in
            let parameters = try QueryParameters(request, allowed: ["task", "cursor", "limit"])
            var query = ScheduleQuery(task: parameters.value("task"), limit: try parameters.limit() ?? 100, after: parameters.value("cursor"))
            if let task = query.task { try TaskName.validate(task, field: "task") }
            let schedules = try await errand.schedules(query)
            let next = schedules.count == query.limit ? schedules.last?.id : nil
            return try JSONResponse.make(ScheduleListView(schedules: schedules.map { ScheduleView($0, fireTimes: 5) }, nextCursor: next))
        }

        router.post("/api/v1/schedules") { request, _ in
            let body = try await request.requiredJSONObject(
                limit: configuration.limits.maxBodySize, expected: #"{"task":…,"expression":"rate(5 minutes)"}"#
            )
            let schedule = try Self.newSchedule(body)
            let existed = if let key = schedule.key { try await errand.schedule(key: key) != nil } else { false }
            let created = try await withScheduleFields { try await errand.createSchedule(schedule) }
            return try JSONResponse.make(ScheduleView(created, fireTimes: 5), status: existed ? .ok : .created)
        }

        router.post("/api/v1/schedules/{id}/pause") { request, context in
            _ = try await request.collectBody(limit: configuration.limits.maxBodySize)
            let schedule = try await errand.pauseSchedule(try context.pathParameter("id"))
            return try JSONResponse.make(ScheduleView(schedule, fireTimes: 5))
        }

        router.post("/api/v1/schedules/{id}/resume") { request, context in
            _ = try await request.collectBody(limit: configuration.limits.maxBodySize)
            let schedule = try await errand.resumeSchedule(try context.pathParameter("id"))
            return try JSONResponse.make(ScheduleView(schedule, fireTimes: 5))
        }

        router.delete("/api/v1/schedules/{id}") { _, context in
            let schedule = try await errand.deleteSchedule(try context.pathParameter("id"))
            return try JSONResponse.make(ScheduleView(schedule, fireTimes: 5))
        }
    }

    /// The schedule a create body describes.
    static func newSchedule(_ body: JSONObject) throws -> NewSchedule {
        try body.checkKeys(["task", "expression", "timezone", "payload", "key"])
        let schedule = NewSchedule(
            task: try body.requiredString("task"), expression: try body.requiredString("expression"),
            timeZone: try body.string("timezone") ?? "UTC", payload: try body.json("payload") ?? Data("{}".utf8),
            key: try body.string("key")
        )
        try withScheduleFields { try schedule.validate() }
        return schedule
    }

    /// Runs `body`, renaming the engine's schedule fields to the API's: `cron` and `rate` are
    /// the body's `expression`, `timeZone` its `timezone`.
    static func withScheduleFields<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ErrandError {
            error.field = apiField(error.field)
            throw error
        }
    }

    private func withScheduleFields<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch var error as ErrandError {
            error.field = Self.apiField(error.field)
            throw error
        }
    }

    private static func apiField(_ field: String?) -> String? {
        switch field {
        case "cron", "rate": "expression"
        case "timeZone": "timezone"
        default: field
        }
    }
}
