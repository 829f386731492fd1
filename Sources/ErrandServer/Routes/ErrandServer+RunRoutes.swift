import Errand
import Foundation
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/runs`, `GET /api/v1/runs/{id}`, `POST /api/v1/runs/{id}/cancel`, `POST /api/v1/runs/{id}/replay`.
    func addRunRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/runs") { request, _ in
            let page = try await errand.runs(try RunFilter.query(parameters: request.queryValues))
            return try JSONResponse.make(RunPageView(page))
        }

        router.get("/api/v1/runs/{id}") { _, context in
            try JSONResponse.make(RunView(try await run(context), includeAttempts: true))
        }

        router.post("/api/v1/runs/{id}/cancel") { request, context in
            _ = try await request.collectBody(limit: configuration.limits.maxBodySize)
            let id = RunID(try context.pathParameter("id"))
            _ = try await errand.cancel(id)
            // Read again for the attempts (cancel returns the record without them).
            return try JSONResponse.make(RunView(try await run(context), includeAttempts: true))
        }

        router.post("/api/v1/runs/{id}/replay") { request, context in
            let body = try await request.jsonObject(limit: configuration.limits.maxBodySize)
            try body?.checkKeys(["payload"])
            let id = try await errand.replay(RunID(try context.pathParameter("id")), payload: try body?.json("payload"))
            return try JSONResponse.make(RunIDView(id: id.rawValue), status: .accepted)
        }
    }

    /// The run named by the `{id}` parameter, with its attempts; 404 when unknown.
    func run(_ context: ServerContext) async throws -> RunRecord {
        let id = RunID(try context.pathParameter("id"))
        guard let record = try await errand.state(id) else { throw ErrandError.runNotFound(id) }
        return record
    }
}
