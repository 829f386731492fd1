import ErrandSQLite
import Foundation

/// What every benchmark phase needs to know; handed to phase processes as JSON.
struct BenchSettings: Codable, Sendable {
    var database: String
    var sync: String
    var jobs: Int
    var single: Int
    var batchJobs: Int
    var batchSize: Int
    var latencyJobs: Int
    var latencyIntervalMs: Int
    var delayed: Int
    var concurrency: Int

    var durability: SQLiteRunStore.Durability {
        switch sync {
        case "off": .off
        case "normal": .normal
        default: .full
        }
    }

    static func synchronousName(_ sync: String) -> String {
        switch sync {
        case "off": "OFF"
        case "normal": "NORMAL"
        default: "FULL"
        }
    }

    func openStore(durability: SQLiteRunStore.Durability? = nil) throws -> SQLiteRunStore {
        try SQLiteRunStore(path: database, configuration: .init(durability: durability ?? self.durability))
    }

    var encoded: String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }
}
