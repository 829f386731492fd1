import Errand
import Hummingbird

extension ErrandServer {
    /// `POST /api/v1/runs/bulk-cancel`, `POST /api/v1/runs/bulk-replay`: by a filter that must not be empty.
    func addBulkRoutes(to router: Router<ServerContext>) {
        router.post("/api/v1/runs/bulk-cancel") { request, _ in
            let ids = try await errand.cancelRuns(matching: try await bulkQuery(request))
            return try JSONResponse.make(BulkResultView(count: ids.count, ids: ids.map(\.rawValue)))
        }
        router.post("/api/v1/runs/bulk-replay") { request, _ in
            let ids = try await errand.replayRuns(matching: try await bulkQuery(request))
            return try JSONResponse.make(BulkResultView(count: ids.count, ids: ids.map(\.rawValue)))
        }
    }

    private func bulkQuery(_ request: Request) async throws -> RunQuery {
        let body = try await request.requiredJSONObject(limit: configuration.limits.maxBodySize, expected: #"{"filter":{"task":…}}"#)
        try body.checkKeys(["filter"])
        return try RunFilter.query(filter: try body.object("filter"))
    }
}
