/// Why an ``ErrandServer`` refused to start.
public struct ServerStartError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// Binding a non-loopback address while no API key exists would open the API to the network.
    static func openNetworkBinding(host: String) -> ServerStartError {
        ServerStartError(
            "refusing to listen on \(host) without an API key: anyone on the network could run tasks. "
                + "Create a key first (errand keys create --name NAME --scope write) or listen on 127.0.0.1"
        )
    }
}
