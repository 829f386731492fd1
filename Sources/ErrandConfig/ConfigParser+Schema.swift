import Errand
import Yams

extension ConfigParser {
    /// A task's `schema:`: the YAML as a JSON Schema document, checked by ``JSONSchema``. A bad
    /// keyword is reported at its own node, with its path inside the schema.
    func parseSchema(_ node: Node, _ path: String) -> JSONSchema? {
        guard let document = json(node, path) else { return nil }
        do {
            return try JSONSchema(document)
        } catch let error as ErrandError {
            // The field is the keyword's path inside the schema (`schema.properties.age.minimum`):
            // report at that key in the file, or at the deepest part of the path found.
            let field = error.field ?? "schema"
            let keys = field.split(separator: ".").dropFirst().map(String.init)
            var at = node
            for (index, key) in keys.enumerated() {
                guard let entry = at.mapping?.first(where: { scalarText($0.key) == key }) else { break }
                at = index == keys.count - 1 ? entry.key : entry.value
            }
            let prefix = "\(field): "
            let message = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
            report(at, ([path] + keys).joined(separator: "."), message)
            return nil
        } catch {
            report(error, at: node, path)
            return nil
        }
    }
}
