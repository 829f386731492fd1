import Errand
import ErrandServer
import Foundation
import HummingbirdTesting
import Metrics
import Prometheus
import Testing

/// The test process's metrics backend: swift-prometheus on one registry, bootstrapped once.
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

@Suite("System routes")
struct SystemRouteTests {
    @Test("healthz answers ok")
    func healthz() async throws {
        try await TestServer.run { server in
            let reply = try await server.api.get("/healthz")
            #expect(reply.status == 200)
            #expect(reply.json["status"]?.string == "ok")
        }
    }

    @Test("healthz shows the labels and capacity of the worker next to the server")
    func healthzShowsWorker() async throws {
        let worker = WorkerConfiguration(id: "w1", concurrency: 8, labels: ["large", "gpu"])
        let server = ErrandServer(
            errand: Errand(store: MemoryRunStore()),
            configuration: ServerConfiguration(port: 0, metricsRegistry: PrometheusCollectorRegistry(), worker: worker)
        )
        try await server.makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            let json = try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
            #expect(json["status"]?.string == "ok")
            #expect(json["worker"]?["labels"]?.array == [.string("gpu"), .string("large")])
            #expect(json["worker"]?["capacity"]?.int == 8)
            #expect(json["worker"]?["id"]?.string == "w1")
        }
    }

    @Test("metrics show the engine's counters and histograms after a run, and runs by task and status and queue depth")
    func metricsAfterRun() async throws {
        try await TestServer.run(worker: true, registry: TestMetrics.registry) { server in
            let id = try #require(try await server.api.post("/api/v1/tasks/double/trigger", #"{"payload":{"count":2}}"#).json["id"]?.string)
            _ = try await server.errand.waitForCompletion(RunID(id), pollInterval: .milliseconds(50))
            _ = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":"1 hour"}"#)
            let reply = try await server.api.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = reply.text
            #expect(text.contains(#"errand_runs_triggered_total{task="double"}"#))
            #expect(text.contains(#"errand_runs_finished_total{task="double",status="completed"}"#) || text.contains(#"errand_runs_finished_total{status="completed",task="double"}"#))
            #expect(text.contains(#"errand_attempts_total{task="double",outcome="succeeded"}"#) || text.contains(#"errand_attempts_total{outcome="succeeded",task="double"}"#))
            #expect(text.contains("errand_attempt_duration_seconds_bucket"))
            #expect(text.contains("errand_pickup_latency_seconds_bucket"))
            #expect(text.contains(#"errand_runs{task="double",status="completed"} 1"#))
            #expect(text.contains(#"errand_queue_depth{queue="echo",status="delayed"} 1"#))
        }
    }

    @Test("the OpenAPI document describes exactly the router's routes")
    func openAPIMatchesRoutes() async throws {
        let server = ErrandServer(errand: Errand(store: MemoryRunStore()))
        let routed = Set(server.makeRouter().routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let documented = Set(OpenAPIDocument.routes.map { "\($0.method) \($0.path)" })
        #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented routes the router lacks: \(documented.subtracting(routed).sorted())")
        #expect(routed.count == 33)
    }

    @Test("the OpenAPI document is served as OpenAPI 3.1 JSON with schemas for every referenced name")
    func openAPIServed() async throws {
        try await TestServer.run { server in
            let reply = try await server.api.get("/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.json["openapi"]?.string == "3.1.0")
            let schemas = reply.json["components"]?["schemas"]
            let references = reply.text.components(separatedBy: "#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(!references.isEmpty)
            for name in Set(references) { #expect(schemas?[String(name)] != nil, "\(name)") }
        }
    }

    @Test("unknown routes and dashboard files are 404 in the error shape")
    func unknownRoutes() async throws {
        try await TestServer.run { server in
            let route = try await server.api.get("/api/v1/nothing")
            #expect(route.status == 404)
            #expect(route.errorCode == "not_found")
            #expect(try await server.api.get("/assets/..%2Fsecret").status == 404)
            #expect(try await server.api.get("/assets/missing.js").status == 404)
        }
    }
}
