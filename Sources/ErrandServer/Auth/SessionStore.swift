import Foundation

/// The dashboard's logins, in memory (a restart logs everybody out). Session ids and CSRF tokens
/// are 32 random bytes each.
actor SessionStore {
    private var sessions: [String: Session] = [:]
    private let lifetime: Duration
    private let clock = ContinuousClock()

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// Starts a session for a key; returns its id and the session.
    func create(for key: APIKey) -> (id: String, session: Session) {
        removeExpired()
        let session = Session(keyName: key.name, scope: key.scope, csrfToken: Self.token(), expiresAt: clock.now.advanced(by: lifetime))
        let id = Self.token()
        sessions[id] = session
        return (id, session)
    }

    /// The live session with this id, or `nil`.
    func session(id: String) -> Session? {
        guard let session = sessions[id] else { return nil }
        guard session.expiresAt > clock.now else {
            sessions[id] = nil
            return nil
        }
        return session
    }

    /// Ends a session.
    func remove(id: String) {
        sessions[id] = nil
    }

    private func removeExpired() {
        let now = clock.now
        sessions = sessions.filter { $0.value.expiresAt > now }
    }

    /// 32 random bytes, hex.
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
