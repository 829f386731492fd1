import ErrandServer
import Foundation
import Testing

@Suite("API key stores")
struct APIKeyStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("errand-keys-\(UUID().uuidString)/keys.json").path
    }

    @Test("the file store keeps only hashes, in a 0600 file, and authenticates by secret")
    func fileStoreHashesAndAuthenticates() async throws {
        let path = Self.temporaryPath()
        let store = FileAPIKeyStore(path: path)
        #expect(try await store.hasKeys() == false)
        let secret = try await store.create(name: "ci", scope: .write)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(secret))
        #expect(text.contains(APIKey.hash(secret)))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try await store.authenticate(secret: secret)?.name == "ci")
        #expect(try await store.authenticate(secret: secret + "x") == nil)
        // Another store on the same file (another process) sees the key.
        #expect(try await FileAPIKeyStore(path: path).keys().map(\.name) == ["ci"])
    }

    @Test("names are unique and checked; revoke removes the key for every reader of the file")
    func namesAndRevoke() async throws {
        let path = Self.temporaryPath()
        let store = FileAPIKeyStore(path: path)
        let secret = try await store.create(name: "ops", scope: .read)
        await #expect(throws: APIKeyStoreError.self) { _ = try await store.create(name: "ops", scope: .write) }
        await #expect(throws: APIKeyStoreError.self) { _ = try await store.create(name: "bad name!", scope: .write) }
        let other = FileAPIKeyStore(path: path)
        #expect(try await other.authenticate(secret: secret)?.scope == .read)
        #expect(try await store.remove(name: "ops")?.name == "ops")
        #expect(try await other.authenticate(secret: secret) == nil)
        #expect(try await store.remove(name: "ops") == nil)
    }

    @Test("the memory store behaves like the file store")
    func memoryStore() async throws {
        let store = MemoryAPIKeyStore()
        let secret = try await store.create(name: "a", scope: .write)
        #expect(try await store.authenticate(secret: secret)?.name == "a")
        await #expect(throws: APIKeyStoreError.self) { _ = try await store.create(name: "a", scope: .read) }
        #expect(try await store.remove(name: "a") != nil)
        #expect(try await store.hasKeys() == false)
    }
}
