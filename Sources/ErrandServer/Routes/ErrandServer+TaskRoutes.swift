import Errand
import Foundation
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/tasks`, `POST /api/v1/tasks/{task}/trigger`, `POST /api/v1/tasks/{task}/batch-trigger`.
    func addTaskRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/tasks") { _, _ in try await taskList() }

        router.post("/api/v1/tasks/{task}/trigger") { request, context in
            let task = try context.pathParameter("task")
            let body = try await request.jsonObject(limit: configuration.limits.maxBodySize)
            var trigger = try TriggerBody.request(task: task, body: body)
            trigger.options.origin = context.origin(of: request)
            let id = try await errand.trigger(trigger)
            return try JSONResponse.make(RunIDView(id: id.rawValue), status: .accepted)
        }

        router.post("/api/v1/tasks/{task}/batch-trigger") { request, context in
            let task = try context.pathParameter("task")
            let body = try await request.requiredJSONObject(limit: configuration.limits.maxBodySize, expected: #"{"items":[{"payload":…},…]}"#)
            try body.checkKeys(["items"])
            guard let items = try body.array("items"), !items.isEmpty else {
                throw APIError.invalid("items", "\"items\" is required: give 1 to \(configuration.limits.maxBatchSize) trigger bodies")
            }
            guard items.count <= configuration.limits.maxBatchSize else {
                throw APIError.invalid("items", "\(items.count) items given; at most \(configuration.limits.maxBatchSize) are allowed in one batch")
            }
            let origin = context.origin(of: request)
            let requests = try items.enumerated().map { index, item in
                guard case .object(let members) = item else {
                    throw APIError.invalid("items[\(index)]", "items[\(index)] (\(JSONObject.kind(of: item))) must be a trigger body object")
                }
                var trigger = try TriggerBody.request(task: task, body: JSONObject(members, path: "items[\(index)]."))
                trigger.options.origin = origin
                return trigger
            }
            let ids = try await errand.batchTrigger(requests)
            return try JSONResponse.make(RunIDListView(ids: ids.map(\.rawValue)), status: .accepted)
        }
    }

    /// Every registered task with its options and its stored schedules.
    private func taskList() async throws -> Response {
        var schedules: [String: [ScheduleView]] = [:]
        var query = ScheduleQuery(limit: 1000)
        while true {
            let page = try await errand.schedules(query)
            for schedule in page { schedules[schedule.task, default: []].append(ScheduleView(schedule, fireTimes: 5)) }
            guard page.count == query.limit, let last = page.last else { break }
            query.after = last.id
        }
        let tasks = errand.taskNames.compactMap { name -> TaskView? in
            guard let options = errand.options(ofTask: name) else { return nil }
            return TaskView(name: name, queue: errand.queue(ofTask: name) ?? name, options: options, schedules: schedules[name] ?? [])
        }
        return try JSONResponse.make(TaskListView(tasks: tasks))
    }
}
