import ArgumentParser
import ErrandServer

/// `errand keys create --name NAME --scope read|write`: prints the new secret once.
struct KeysCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an API key and print its secret (shown only this once)."
    )

    @Option(help: "The key's name (letters, digits, '.', '_', '-').")
    var name: String

    @Option(help: "read (GET only) or write (everything).")
    var scope: APIKeyScope

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var keys: KeysFileOption

    func run() async throws {
        let path = keys.path(database: database.database)
        let secret: String
        do {
            secret = try await FileAPIKeyStore(path: path).create(name: name, scope: scope)
        } catch {
            throw CLIError("\(error)")
        }
        Console.line(secret)
        Console.error("Created key \"\(name)\" (scope \(scope.rawValue)) in \(path). Store the secret now: it is not shown again.")
    }
}

extension APIKeyScope: ExpressibleByArgument {}
