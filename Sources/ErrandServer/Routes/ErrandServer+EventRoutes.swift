import Errand
import Foundation
import Hummingbird

extension ErrandServer {
    /// `POST /api/v1/events` (publish: one run per subscribed task), `GET /api/v1/events` (newest
    /// first) and `GET /api/v1/events/{id}` (the event with the runs it caused).
    func addEventRoutes(to router: Router<ServerContext>) {
        router.post("/api/v1/events") { request, context in
            let body = try await request.requiredJSONObject(
                limit: configuration.limits.maxBodySize, expected: #"{"name":"user.created","payload":{…}}"#
            )
            try body.checkKeys(["name", "payload", "id", "after"])
            let result = try await errand.publishEvent(
                try body.requiredString("name"), payload: try body.json("payload") ?? Data("{}".utf8), id: try body.string("id"),
                after: try TriggerBody.after(body), origin: context.origin(of: request)
            )
            let view = PublishedEventView(id: result.event.id, name: result.event.name, runs: result.event.runIDs.map(\.rawValue))
            return try JSONResponse.make(view, status: result.created ? .created : .ok)
        }

        router.get("/api/v1/events") { request, _ in
            let parameters = try QueryParameters(request, allowed: ["name", "cursor", "limit"])
            let query = EventQuery(name: parameters.value("name"), limit: try parameters.limit() ?? 50, cursor: parameters.value("cursor"))
            if let name = query.name { try EventName.validate(name) }
            if let cursor = query.cursor { _ = try RunQuery.sequence(fromCursor: cursor) }
            return try JSONResponse.make(EventPageView(try await errand.publishedEvents(query)))
        }

        router.get("/api/v1/events/{id}") { _, context in
            let id = try context.pathParameter("id")
            guard let event = try await errand.publishedEvent(id: id) else {
                throw APIError(status: .notFound, code: "event_not_found", message: "no published event has the id \"\(id)\"", field: "id")
            }
            let runs = try await errand.runs(RunQuery(limit: 1000, eventID: id)).runs
            return try JSONResponse.make(EventDetailView(event, runs: runs))
        }
    }
}
