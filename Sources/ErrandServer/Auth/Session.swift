import Foundation

/// A dashboard login: the key it was made with, its CSRF token and when it ends.
struct Session: Sendable {
    var keyName: String
    var scope: APIKeyScope
    var csrfToken: String
    var expiresAt: ContinuousClock.Instant
}
