import Foundation
import Errand
import Logging

/// How the CLI's commands make their ``Errand`` engines and loggers.
enum CLIEngine {
    /// A logger writing to standard error (swift-log's default handler) at `level`.
    static func logger(level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: "errand")
        logger.logLevel = level
        return logger
    }

    /// An engine for commands that trigger, inspect and control runs of tasks registered in
    /// another process (the app that executes them): unregistered task names are allowed.
    static func remote(store: any RunStore) -> Errand {
        Errand(store: store, configuration: .init(allowsUnregisteredTasks: true, logger: logger()))
    }

    /// The origin of runs and events the CLI creates: `cli:<user>` (`$USER`, or the uid).
    static var origin: RunOrigin {
        let environment = ProcessInfo.processInfo.environment
        return RunOrigin(.cli, environment["USER"] ?? environment["LOGNAME"] ?? "uid-\(getuid())")
    }
}
