import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP server on a free loopback port for the HTTP-task tests (routes in
/// ``TestHTTPHandler``). It records every request in ``log``.
struct TestHTTPServer: Sendable {
    /// The requests received.
    let log: RequestLog
    /// The port it listens on.
    let port: Int

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Starts a server, runs `body`, stops the server.
    static func with<T: Sendable>(_ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(TestHTTPHandler(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let result: Result<T, any Error>
        do {
            result = .success(try await body(TestHTTPServer(log: log, port: channel.localAddress?.port ?? 0)))
        } catch {
            result = .failure(error)
        }
        try await channel.close()
        return try result.get()
    }
}
