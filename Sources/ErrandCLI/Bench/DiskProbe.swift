import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How many 8 KiB rewrite + fdatasync cycles the disk does in one second (the peer harness's
/// probe), to tell a quiet pass from a loaded one.
enum DiskProbe {
    static func fdatasyncPerSecond(in directory: String) -> Int {
        #if canImport(Glibc)
        let path = directory + "/errand-disk-probe.\(getpid())"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard fd >= 0 else { return 0 }
        defer {
            close(fd)
            unlink(path)
        }
        let block = [UInt8](repeating: 7, count: 8192)
        let start = ContinuousClock.now
        var count = 0
        while ContinuousClock.now - start < .seconds(1) {
            _ = block.withUnsafeBytes { pwrite(fd, $0.baseAddress, 8192, 0) }
            fdatasync(fd)
            count += 1
        }
        return count
        #else
        return 0
        #endif
    }
}
