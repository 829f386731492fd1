import Errand

extension Errand {
    /// The HTTP API and dashboard of this engine, as a `Service` to run in the app's
    /// `ServiceGroup` next to ``Errand/worker(_:)``: apps that define tasks in Swift get the same
    /// API and dashboard as `errand serve` with one call.
    ///
    /// ```swift
    /// let group = ServiceGroup(services: [errand.worker(), errand.scheduler(), errand.maintenance(),
    ///                                     errand.httpServer(configuration: .init(port: 8080))],
    ///                          gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    /// ```
    public func httpServer(configuration: ServerConfiguration = ServerConfiguration()) -> ErrandServer {
        ErrandServer(errand: self, configuration: configuration)
    }
}
