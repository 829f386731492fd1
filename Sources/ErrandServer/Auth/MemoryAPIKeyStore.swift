import Synchronization

/// API keys kept in memory: for tests and for apps that load keys from their own configuration.
public final class MemoryAPIKeyStore: APIKeyStore {
    private let storage: Mutex<[String: APIKey]>

    /// Creates a store holding `keys`.
    public init(keys: [APIKey] = []) {
        storage = Mutex(Dictionary(keys.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last }))
    }

    public func keys() async throws -> [APIKey] {
        storage.withLock { $0.values.sorted { $0.name < $1.name } }
    }

    public func add(_ key: APIKey) async throws {
        try APIKey.validate(name: key.name)
        try storage.withLock { keys in
            guard keys[key.name] == nil else { throw APIKeyStoreError("a key named \"\(key.name)\" exists: choose another name or revoke it first") }
            keys[key.name] = key
        }
    }

    public func remove(name: String) async throws -> APIKey? {
        storage.withLock { $0.removeValue(forKey: name) }
    }
}
