import Errand
import Hummingbird

extension ErrandServer {
    /// `GET /healthz`, `GET /metrics`, `GET /openapi.json`.
    func addSystemRoutes(to router: Router<ServerContext>) {
        router.get("/healthz") { _, _ in
            _ = try await errand.store.nextDueTime(queues: ["healthz"])  // one cheap indexed read: fails when the store does
            return try JSONResponse.make(HealthView(status: "ok", worker: configuration.worker))
        }

        router.get("/metrics") { _, _ in
            try await metrics.update(errand: errand, queues: try await queueStates(), openStreams: streams.open)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer()))
            )
        }

        router.get("/openapi.json") { _, _ in
            JSONResponse.raw(try OpenAPIDocument.json(taskNames: errand.taskNames), headers: [.cacheControl: "no-cache"])
        }
    }
}
