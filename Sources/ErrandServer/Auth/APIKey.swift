import Crypto
import Foundation

/// A stored API key: its name, scope and the SHA-256 of its secret (the secret itself is shown
/// once, when the key is created, and never stored).
public struct APIKey: Sendable, Hashable, Codable {
    /// The key's unique name (1…64 characters: letters, digits, `.`, `_`, `-`).
    public var name: String
    /// What the key may do.
    public var scope: APIKeyScope
    /// The SHA-256 of the secret, hex.
    public var secretHash: String
    /// When the key was created.
    public var createdAt: Date

    /// Creates a key record.
    public init(name: String, scope: APIKeyScope, secretHash: String, createdAt: Date) {
        self.name = name
        self.scope = scope
        self.secretHash = secretHash
        self.createdAt = createdAt
    }

    /// A new key with a random secret (32 random bytes, base64url, prefixed `errand_`): the
    /// record to store and the secret to show once.
    public static func generate(name: String, scope: APIKeyScope, now: Date = Date()) throws -> (key: APIKey, secret: String) {
        try validate(name: name)
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = "errand_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (APIKey(name: name, scope: scope, secretHash: hash(secret), createdAt: now), secret)
    }

    /// The hex SHA-256 of a secret.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `secret` is this key's secret, comparing the hashes in constant time.
    public func matches(secret: String) -> Bool {
        Self.constantTimeEqual(Array(Self.hash(secret).utf8), Array(secretHash.utf8))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// Checks a key name.
    public static func validate(name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else {
            throw APIKeyStoreError("invalid key name \"\(name)\": use 1 to 64 letters, digits, '.', '_' or '-'")
        }
    }
}
