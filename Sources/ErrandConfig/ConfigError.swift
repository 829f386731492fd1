/// A problem in an `errand.yml` file, with where it is and what is allowed.
///
/// ```text
/// errand.yml:5:14: tasks.resize-image.timeout: "2x" is not a duration; use a number followed by ms, s, m, h or d (e.g. 2m)
/// ```
///
/// Parsing goes on after a problem, so one error can report several: the first is described by
/// ``line``, ``column``, ``keyPath`` and ``message``, the others are in ``others`` (in file
/// order), and ``description`` lists them all, one per line.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, as it was given to ``ProjectConfig/load(path:)`` or ``ProjectConfig/parse(_:path:)``.
    public var file: String
    /// The line, from 1; 0 when the problem has no position (the file could not be read).
    public var line: Int
    /// The column, from 1 (counted in Unicode scalars); 0 when the problem has no position.
    public var column: Int
    /// The key the problem is at, as a dotted path (`tasks.resize-image.timeout`); empty for the
    /// whole file.
    public var keyPath: String
    /// What is wrong and what is allowed.
    public var message: String
    /// Further problems found in the same file, in file order.
    public var others: [ConfigError]

    /// Creates an error.
    public init(file: String, line: Int, column: Int, keyPath: String, message: String, others: [ConfigError] = []) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.others = others
    }

    /// Every problem: this one, then ``others``.
    public var all: [ConfigError] {
        var first = self
        first.others = []
        return [first] + others
    }

    /// `file:line:column: key.path: message` for each problem, one per line.
    public var description: String {
        all.map(\.singleLine).joined(separator: "\n")
    }

    private var singleLine: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        return text + message
    }
}
