/// Where API keys are kept (hashed). ``FileAPIKeyStore`` keeps them in a JSON file next to the
/// database; ``MemoryAPIKeyStore`` in memory, for tests and embedding apps.
///
/// ```swift
/// let store = MemoryAPIKeyStore()
/// let secret = try await store.create(name: "ci", scope: .write)   // show it once
/// let key = try await store.authenticate(secret: secret)            // the key, or nil
/// ```
public protocol APIKeyStore: Sendable {
    /// Every key, by name.
    func keys() async throws -> [APIKey]
    /// Adds a key. Throws ``APIKeyStoreError`` when the name is taken.
    func add(_ key: APIKey) async throws
    /// Removes the key with this name and returns it, or `nil` when there is none.
    func remove(name: String) async throws -> APIKey?
}

extension APIKeyStore {
    /// Creates a key with a random secret and returns the secret (not stored: show it once).
    public func create(name: String, scope: APIKeyScope) async throws -> String {
        let (key, secret) = try APIKey.generate(name: name, scope: scope)
        try await add(key)
        return secret
    }

    /// The key whose secret this is, or `nil`. Every key's hash is compared in constant time.
    public func authenticate(secret: String) async throws -> APIKey? {
        var found: APIKey?
        for key in try await keys() where key.matches(secret: secret) { found = key }
        return found
    }

    /// Whether any key exists (then every `/api` call needs one).
    public func hasKeys() async throws -> Bool { try await !keys().isEmpty }

    /// The key with a name, or `nil`.
    public func key(named name: String) async throws -> APIKey? { try await keys().first { $0.name == name } }
}
