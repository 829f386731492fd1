import ArgumentParser
import Errand
import ErrandServer

/// `errand keys list`: names, scopes and creation dates (never secrets).
struct KeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the API keys (names and scopes).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var keys: KeysFileOption

    func run() async throws {
        let path = keys.path(database: database.database)
        let all: [APIKey]
        do {
            all = try await FileAPIKeyStore(path: path).keys()
        } catch {
            throw CLIError("\(error)")
        }
        guard !all.isEmpty else {
            Console.line("No API key in \(path): errand serve is open on loopback only. Create one with: errand keys create --name NAME --scope write")
            return
        }
        let width = max(4, all.map(\.name.count).max() ?? 4)
        Console.line("NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  SCOPE  CREATED")
        for key in all {
            Console.line(
                key.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + key.scope.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
                    + "  " + ISO8601Timestamp.string(from: key.createdAt)
            )
        }
    }
}
