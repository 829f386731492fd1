import ArgumentParser
import ErrandServer

/// `errand keys revoke NAME`: the key stops working at once, also for a running server.
struct KeysRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API key by name.")

    @Argument(help: "The key's name.")
    var name: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var keys: KeysFileOption

    func run() async throws {
        let path = keys.path(database: database.database)
        let removed: APIKey?
        do {
            removed = try await FileAPIKeyStore(path: path).remove(name: name)
        } catch {
            throw CLIError("\(error)")
        }
        guard removed != nil else { throw CLIError("no key named \"\(name)\" in \(path) (see errand keys list)") }
        Console.line("Revoked key \"\(name)\".")
    }
}
