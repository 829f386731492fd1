import Foundation
import Yams

extension ConfigParser {
    /// The keys of `limits:`.
    static let limitKeys = ["memory", "cpu", "files"]
    /// Memory units and their size in bytes (binary: 1 KB = 1024 bytes, as `ulimit` counts).
    static let memoryUnits: [(suffix: String, bytes: Int)] = [("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30)]
    /// The allowed range of each limit.
    static let memoryRange = (1 << 20)...(1 << 40)
    static let cpuRange = 1...(30 * 24 * 3600)
    static let filesRange = 3...1_048_576

    /// A command task's `limits:`; `nil` when it has problems (they are reported).
    func parseLimits(_ node: Node, _ path: String) -> ResourceLimits? {
        guard let fields = fields(of: node, at: path, allowed: Self.limitKeys) else { return nil }
        let before = problems.count
        var limits = ResourceLimits()
        if let node = fields["memory"]?.value { limits.memoryBytes = memory(node, Self.join(path, "memory")) }
        if let node = fields["cpu"]?.value, let time = duration(node, Self.join(path, "cpu")) {
            let (seconds, fraction) = time.components
            if fraction != 0 || !Self.cpuRange.contains(Int(seconds)) {
                report(node, Self.join(path, "cpu"), "the CPU time limit is counted in whole seconds, 1s to 30d (e.g. 30s or 5m); found \(time)")
            } else {
                limits.cpuSeconds = Int(seconds)
            }
        }
        if let node = fields["files"]?.value, let files = integer(node, Self.join(path, "files")) {
            if Self.filesRange.contains(files) {
                limits.openFiles = files
            } else {
                report(node, Self.join(path, "files"), "\(files) is out of range; the open files limit is \(Self.filesRange.lowerBound) (standard input, output and error) to \(Self.filesRange.upperBound)")
            }
        }
        return problems.count == before ? limits : nil
    }

    /// A memory size: a whole number followed by KB, MB or GB (`256MB`, `1 GB`).
    private func memory(_ node: Node, _ path: String) -> Int? {
        let text = scalarText(node)?.trimmingCharacters(in: .whitespaces) ?? ""
        for unit in Self.memoryUnits where text.uppercased().hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard number.allSatisfy(\.isASCII), let value = Int(number) else { break }
            let (bytes, overflow) = value.multipliedReportingOverflow(by: unit.bytes)
            guard !overflow, Self.memoryRange.contains(bytes) else {
                report(node, path, "\"\(text)\" is out of range; the memory limit is 1MB to 1024GB")
                return nil
            }
            return bytes
        }
        let shown = scalarText(node).map { "\"\($0)\"" } ?? Self.kind(of: node)
        report(node, path, "\(shown) is not a memory size; use a whole number followed by KB, MB or GB (e.g. 256MB)")
        return nil
    }
}
