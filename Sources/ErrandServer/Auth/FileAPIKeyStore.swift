#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// API keys in a JSON file (default `.errand/keys.json`, next to the database), mode 0600,
/// replaced atomically on every change. The server re-reads the file when it changes, so keys
/// created or revoked with `errand keys` while it runs apply at once.
///
/// The file holds `{"keys":[{"name","scope","secretHash","createdAt"}]}`: hashes only.
public final class FileAPIKeyStore: APIKeyStore {
    /// The file.
    public let path: String

    private struct Cache {
        var stamp: FileStamp?
        var keys: [APIKey] = []
    }

    /// What identifies a version of the file without reading it.
    private struct FileStamp: Equatable {
        var modified: [Int]
        var size: Int
        var inode: UInt64
    }

    private typealias timespec_pair = [Int]

    private struct FileContents: Codable {
        var keys: [APIKey]
    }

    private let cache = Mutex(Cache())

    /// A store on `path`; the file is created on the first key.
    public init(path: String) {
        self.path = path
    }

    public func keys() async throws -> [APIKey] {
        try load()
    }

    public func add(_ key: APIKey) async throws {
        try APIKey.validate(name: key.name)
        var keys = try load()
        guard !keys.contains(where: { $0.name == key.name }) else {
            throw APIKeyStoreError("a key named \"\(key.name)\" exists in \(path): choose another name or revoke it first")
        }
        keys.append(key)
        try save(keys.sorted { $0.name < $1.name })
    }

    public func remove(name: String) async throws -> APIKey? {
        var keys = try load()
        guard let index = keys.firstIndex(where: { $0.name == name }) else { return nil }
        let removed = keys.remove(at: index)
        try save(keys)
        return removed
    }

    /// The keys in the file, read again only when the file changed.
    private func load() throws -> [APIKey] {
        let stamp = Self.stamp(of: path)
        if let cached = cache.withLock({ $0.stamp == stamp ? $0.keys : nil }) { return cached }
        var keys: [APIKey] = []
        if stamp != nil {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw APIKeyStoreError("cannot read the key file \(path): \(error.localizedDescription)")
            }
            do {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                keys = try decoder.decode(FileContents.self, from: data).keys
            } catch {
                throw APIKeyStoreError("the key file \(path) is not a valid Errand key file: \(error)")
            }
        }
        cache.withLock { $0 = Cache(stamp: stamp, keys: keys) }
        return keys
    }

    /// Writes the keys to a temporary file created with mode 0600 in the same directory, syncs
    /// it and renames it over the file.
    private func save(_ keys: [APIKey]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(FileContents(keys: keys))
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw APIKeyStoreError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw APIKeyStoreError("cannot write the key file \(path): \(failure)")
        }
        cache.withLock { $0 = Cache(stamp: Self.stamp(of: path), keys: keys) }
    }

    private static func stamp(of path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(
            modified: [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)], size: Int(info.st_size), inode: UInt64(info.st_ino)
        )
    }
}
