import Errand
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/runs/{id}/logs?after=&limit=&level=`: a run's stored log lines in order,
    /// those at or above `level`, at most `limit` (default 100), after line `after`. `next` is
    /// the `after` of the next page, `null` when none is left. 404 for an unknown run.
    func addLogRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/runs/{id}/logs") { request, context in
            let parameters = try QueryParameters(request, allowed: ["after", "limit", "level"])
            let minimum = try LogLevel.minimum(parameters.value("level"))
            let limit = try parameters.limit() ?? 100
            var after = try parameters.integer("after", in: 0...Int(Int32.max)) ?? 0
            let id = try await run(context).id
            var lines: [LogLineView] = []
            var more = true
            // Level filtering may drop lines: read on until the page is full or the log ends.
            while lines.count < limit, more {
                let batch = try await errand.logs(of: id, after: after, limit: 1000)
                more = batch.count == 1000
                for line in batch {
                    after = line.index
                    if LogLevel.rank(line.level) >= minimum { lines.append(LogLineView(line)) }
                    if lines.count == limit {
                        more = more || line.index != batch.last?.index
                        break
                    }
                }
            }
            return try JSONResponse.make(LogPageView(lines: lines, next: more ? after : nil))
        }
    }
}
