import Errand
import ErrandServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus

/// A real server on a free loopback port over an in-memory store with the test tasks, driven
/// over HTTP by the tests.
struct TestServer {
    /// The engine behind the server.
    let errand: Errand
    /// The HTTP client (one keep-alive connection).
    let api: API
    /// The secrets of the keys made for the test, by name.
    let secrets: [String: String]
    /// The server (for its configuration).
    let server: ErrandServer

    /// Starts a server (and a worker when `worker`), runs `body`, stops both.
    static func run(
        keys: [(name: String, scope: APIKeyScope)] = [], worker: Bool = false, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        host: String = "127.0.0.1", _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let errand = Errand(store: MemoryRunStore())
        try TestTasks.register(on: errand)
        let keyStore = MemoryAPIKeyStore()
        var secrets: [String: String] = [:]
        for key in keys { secrets[key.name] = try await keyStore.create(name: key.name, scope: key.scope) }
        let configuration = ServerConfiguration(
            host: host, port: 0, keyStore: keyStore, keepAliveInterval: .milliseconds(200), streamPollInterval: .milliseconds(100),
            metricsRegistry: registry
        )
        let server = errand.httpServer(configuration: configuration)
        let frozenSecrets = secrets
        try await withThrowingTaskGroup(of: Void.self) { group in
            if worker {
                let worker = errand.worker(WorkerConfiguration(id: "test-worker", pollInterval: .milliseconds(50), shutdownGracePeriod: .seconds(1)))
                group.addTask { try await worker.run() }
            }
            try await server.makeApplication().test(.live) { client in
                try await body(TestServer(errand: errand, api: API(client: client), secrets: frozenSecrets, server: server))
            }
            group.cancelAll()
        }
    }
}

/// HTTP calls with JSON bodies; every call's answer as a ``Reply``.
struct API: Sendable {
    let client: any TestClientProtocol
    var headers: HTTPFields = [:]

    /// The same client sending `Authorization: Bearer <secret>`.
    func bearer(_ secret: String) -> API {
        var api = self
        api.headers[.authorization] = "Bearer \(secret)"
        return api
    }

    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> Reply {
        try await send(.get, path, body: nil, headers: extra)
    }

    func post(_ path: String, _ body: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        try await send(.post, path, body: body.map { Data($0.utf8) }, headers: extra)
    }

    func post(_ path: String, data: Data, headers extra: HTTPFields = [:]) async throws -> Reply {
        try await send(.post, path, body: data, headers: extra)
    }

    func delete(_ path: String, headers extra: HTTPFields = [:]) async throws -> Reply {
        try await send(.delete, path, body: nil, headers: extra)
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: Data?, headers extra: HTTPFields) async throws -> Reply {
        var headers = headers
        for field in extra { headers[field.name] = field.value }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        return Reply(status: response.status.code, headers: response.headers, body: Data(response.body.readableBytesView))
    }
}

/// A response.
struct Reply: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: Data

    /// The body as JSON (`null` when it is not JSON).
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .null }
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
    /// `error.field` of an error body.
    var errorField: String? { json["error"]?["field"]?.string }
    /// `error.code` of an error body.
    var errorCode: String? { json["error"]?["code"]?.string }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .number(let value): Int(value)
        default: nil
        }
    }

    var array: [JSONValue] {
        guard case .array(let items) = self else { return [] }
        return items
    }
}
