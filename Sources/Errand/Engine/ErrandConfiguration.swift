import Logging

extension Errand {
    /// How an ``Errand`` behaves apart from its workers.
    public struct Configuration: Sendable {
        /// Hooks that apply to every task.
        public var hooks: GlobalHooks
        /// How long finished runs are kept, per final status (default 14 days for every status).
        /// A status missing from the map is kept forever.
        public var retention: [RunStatus: Duration]
        /// Whether runs may be triggered by name for tasks this process has not registered (the
        /// CLI does this: the tasks live in the app that executes them). Their options are the
        /// defaults, and their payload is not checked against a type.
        public var allowsUnregisteredTasks: Bool
        /// The logger for the engine and, with run metadata added, for handlers.
        public var logger: Logger

        /// The default retention: 14 days.
        public static let defaultRetention: Duration = .seconds(14 * 24 * 3600)

        /// Creates a configuration.
        public init(
            hooks: GlobalHooks = GlobalHooks(),
            retention: [RunStatus: Duration] = Dictionary(uniqueKeysWithValues: RunStatus.finalStatuses.map { ($0, Errand.Configuration.defaultRetention) }),
            allowsUnregisteredTasks: Bool = false,
            logger: Logger = Logger(label: "errand")
        ) {
            self.hooks = hooks
            self.retention = retention
            self.allowsUnregisteredTasks = allowsUnregisteredTasks
            self.logger = logger
        }
    }
}
