import ArgumentParser

/// `errand keys create|list|revoke`: the API keys `errand serve` accepts.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys for errand serve.",
        discussion: """
            Keys are stored hashed (SHA-256) in a JSON file next to the database (mode 0600). Once a \
            key exists, every /api call needs "Authorization: Bearer <key>" and the dashboard asks \
            for a key. A read key can only read; a write key can also trigger, cancel and change.
            """,
        subcommands: [KeysCreateCommand.self, KeysListCommand.self, KeysRevokeCommand.self]
    )
}
