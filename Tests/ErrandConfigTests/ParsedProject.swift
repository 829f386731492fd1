import Errand
import Testing

@testable import ErrandConfig

/// Parses `text` as `/project/errand.yml` and returns the error it must throw.
func parseError(_ text: String) -> ConfigError? {
    do {
        _ = try ProjectConfig.parse(text, path: "/project/errand.yml")
        Issue.record("the text parsed without an error")
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("not a ConfigError: \(error)")
        return nil
    }
}

/// Parses `text` as `/project/errand.yml` and returns its one task.
func parseTask(_ text: String) throws -> ConfiguredTask {
    let project = try ProjectConfig.parse(text, path: "/project/errand.yml")
    return try #require(project.tasks.first)
}

/// An engine on the in-memory store (no worker) with the project in `text` registered.
func registeredEngine(_ text: String) throws -> Errand {
    let errand = Errand(store: MemoryRunStore())
    try errand.register(try ProjectConfig.parse(text, path: "/project/errand.yml"), runner: ProjectRunner())
    return errand
}
