import Errand
import HTTPTypes
import Hummingbird

extension ServerContext {
    /// The header the dashboard sends with every request (`X-Errand-Client: dashboard`), so runs
    /// it triggers on an open server (no API key) are recorded as the dashboard's.
    static let clientHeader = HTTPField.Name("X-Errand-Client")!

    /// Who triggers runs with `request`, recorded as their origin (never a secret): an API key by
    /// its name (`apiKey:NAME`), a dashboard session by the name of the key it logged in with
    /// (`dashboard:NAME`). On an open server (no key exists) it is `dashboard` when the request
    /// carries ``clientHeader`` with the value `dashboard`, and `apiKey` otherwise.
    func origin(of request: Request) -> RunOrigin {
        guard let principal else {
            let client = request.headers[Self.clientHeader]?.lowercased()
            return client == "dashboard" ? RunOrigin(.dashboard) : RunOrigin(.apiKey)
        }
        switch principal.method {
        case .bearer: return RunOrigin(.apiKey, principal.keyName)
        case .session: return RunOrigin(.dashboard, principal.keyName)
        }
    }
}
