import Errand
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/queues`, `POST /api/v1/queues/{name}/pause`, `POST /api/v1/queues/{name}/resume`.
    func addQueueRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/queues") { _, _ in
            try JSONResponse.make(QueueListView(queues: try await queueStates().map(QueueView.init)))
        }
        router.post("/api/v1/queues/{name}/pause") { request, context in
            try await setPaused(true, request: request, context: context)
        }
        router.post("/api/v1/queues/{name}/resume") { request, context in
            try await setPaused(false, request: request, context: context)
        }
    }

    /// The store's queues plus the registered tasks' queues, by name. A limit the store does not
    /// have yet (no worker declared it) is the lowest its tasks declare.
    func queueStates() async throws -> [QueueState] {
        var states = Dictionary(try await errand.store.queueStates().map { ($0.config.name, $0) }, uniquingKeysWith: { first, _ in first })
        for task in errand.taskNames {
            guard let queue = errand.queue(ofTask: task) else { continue }
            var state = states[queue] ?? QueueState(config: QueueConfig(name: queue), paused: false, counts: [:])
            if let declared = errand.options(ofTask: task)?.queue.concurrency {
                state.config.concurrency = min(state.config.concurrency ?? declared, declared)
            }
            states[queue] = state
        }
        return states.values.sorted { $0.config.name < $1.config.name }
    }

    private func setPaused(_ paused: Bool, request: Request, context: ServerContext) async throws -> Response {
        _ = try await request.collectBody(limit: configuration.limits.maxBodySize)
        let name = try context.pathParameter("name")
        guard try await queueStates().contains(where: { $0.config.name == name }) else {
            throw APIError(
                status: .notFound, code: "queue_not_found",
                message: "no queue named \"\(name)\": queues are those of the registered tasks, those a worker was told to claim from, and those holding runs (GET /api/v1/queues)",
                field: "name"
            )
        }
        try await errand.setQueuePaused(name, paused: paused)
        guard let state = try await queueStates().first(where: { $0.config.name == name }) else { throw APIError.internalError }
        return try JSONResponse.make(QueueView(state))
    }
}
