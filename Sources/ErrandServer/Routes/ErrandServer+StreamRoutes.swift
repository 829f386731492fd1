import Errand
import Foundation
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/stream` (every run event) and `GET /api/v1/runs/{id}/stream` (one run's states
    /// until it is final, and as `log` events the log lines its attempts write in this process). Both end when the client goes away (the request's inbound side closes)
    /// or the server shuts down, which ends their event subscriptions.
    func addStreamRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/stream") { request, _ in
            let keepAlive = configuration.keepAliveInterval
            return Response(status: .ok, headers: ServerSentEvents.headers, body: ResponseBody { writer in
                try await streams.counting {
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await writer.write(ServerSentEvents.keepAlive)
                        try await ServerSentEvents.loop(events: errand.events(), tick: keepAlive) { item in
                            switch item {
                            case .event(let event): try await writer.write(try ServerSentEvents.message("run", RunEventView(event: event)))
                            case .tick: try await writer.write(ServerSentEvents.keepAlive)
                            }
                            return true
                        }
                    }
                }
                try await writer.finish(nil)
            })
        }

        router.get("/api/v1/runs/{id}/stream") { request, context in
            let id = try await run(context).id  // 404 before the stream starts
            return Response(status: .ok, headers: ServerSentEvents.headers, body: ResponseBody { writer in
                try await streams.counting {
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await streamRun(id, to: &writer)
                    }
                }
                try await writer.finish(nil)
            })
        }
    }

    /// Writes the run's state, then each new state (on this process's events at once, and every
    /// ``ServerConfiguration/streamPollInterval`` for changes made elsewhere), then `end`. Each log
    /// line an attempt in this process writes is sent as it is written, as a `log` event
    /// (``LogLineView``, `index` `null`: the line is not stored yet); lines written by workers in
    /// other processes are read with `GET /api/v1/runs/{id}/logs`.
    private func streamRun(_ id: RunID, to writer: inout any ResponseBodyWriter) async throws {
        let events = errand.events(RunEventFilter(runID: id))  // before the first read, so no change falls in between
        let clock = ContinuousClock()
        var lastSent = Data()
        var lastWrite = clock.now
        // Sends the run if it changed; returns whether it is final.
        func send() async throws -> Bool {
            guard let record = try await errand.state(id) else { return true }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let json = try encoder.encode(RunView(record, includeAttempts: true))
            if json != lastSent {
                try await writer.write(ServerSentEvents.message("run", json: json))
                lastSent = json
                lastWrite = clock.now
            }
            return record.status.isFinal
        }
        var final = try await send()
        if !final {
            try await ServerSentEvents.loop(events: events, tick: configuration.streamPollInterval) { item in
                switch item {
                case .event(let event) where event.kind == .log:
                    try await writer.write(try ServerSentEvents.message("log", LogLineView(event: event)))
                    lastWrite = clock.now
                case .event:  // only this run's events are subscribed to
                    final = try await send()
                case .tick:
                    final = try await send()
                    if !final, clock.now - lastWrite >= configuration.keepAliveInterval {
                        try await writer.write(ServerSentEvents.keepAlive)
                        lastWrite = clock.now
                    }
                }
                return !final
            }
        }
        if final {
            try await writer.write(ServerSentEvents.message("end", RunIDView(id: id.rawValue)))
        }
    }
}
