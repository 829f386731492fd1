import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Watches a database's write-ahead log with inotify (Linux) and yields after it changes.
///
/// Every commit, by any process, appends to the `-wal` file next to the database. The monitor
/// watches the directory (so a log deleted and created again is still seen) from a thread of
/// its own that polls the inotify descriptor, and stops within 200 ms of the stream ending.
/// Changes coalesce: a consumer that is busy sees one element for many commits.
final class WALChangeMonitor: Sendable {
    private let stopped = Atomic<Bool>(false)

    private init() {}

    /// A stream of changes to the log of the database at `databasePath`; on systems without
    /// inotify, or when the watch cannot be set up, it finishes at once.
    static func changes(ofDatabaseAt databasePath: String) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        #if canImport(Glibc)
        let url = URL(fileURLWithPath: databasePath)
        let walName = url.lastPathComponent + "-wal"
        let descriptor = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        guard descriptor >= 0 else {
            continuation.finish()
            return stream
        }
        let mask = UInt32(IN_MODIFY) | UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)
        guard inotify_add_watch(descriptor, url.deletingLastPathComponent().path, mask) >= 0 else {
            close(descriptor)
            continuation.finish()
            return stream
        }
        let monitor = WALChangeMonitor()
        continuation.onTermination = { _ in monitor.stopped.store(true, ordering: .relaxed) }
        let thread = Thread { monitor.watch(descriptor, for: walName, continuation) }
        thread.name = "Errand.SQLiteRunStore.changes"
        thread.start()
        #else
        continuation.finish()
        #endif
        return stream
    }

    #if canImport(Glibc)
    /// Reads inotify events until the stream ends; owns (and closes) the descriptor.
    private func watch(_ descriptor: Int32, for walName: String, _ continuation: AsyncStream<Void>.Continuation) {
        defer {
            close(descriptor)
            continuation.finish()
        }
        let headerSize = MemoryLayout<inotify_event>.size
        var buffer = [UInt8](repeating: 0, count: 8192)
        while !stopped.load(ordering: .relaxed) {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 200)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            var changed = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                buffer.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset + headerSize <= count {
                        let nameLength = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        let nameBytes = bytes[(offset + headerSize)..<min(count, offset + headerSize + nameLength)]
                        let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                        if name == walName { changed = true }
                        offset += headerSize + nameLength
                    }
                }
            }
            if changed { continuation.yield() }
        }
    }
    #endif
}
