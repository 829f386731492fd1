/// One line a command wrote to standard error: a progress report or ordinary text.
///
/// The progress protocol is one line `errand:progress <percent> <message…>`: the percent is a
/// number from 0 to 1, or `-` for none; the message is the rest of the line (optional).
enum StderrLine: Sendable, Hashable {
    /// `errand:progress 0.5 resizing`.
    case progress(message: String?, percent: Double?)
    /// A line starting with `errand:progress` whose percent is not `-` or a number from 0 to 1.
    case malformedProgress(String)
    /// Any other line.
    case text(String)

    /// The prefix of a progress line.
    static let progressPrefix = "errand:progress"

    /// Classifies a line (without its line break).
    init(_ line: String) {
        guard line.hasPrefix(Self.progressPrefix) else {
            self = .text(line)
            return
        }
        let rest = line.dropFirst(Self.progressPrefix.count)
        guard rest.isEmpty || rest.first == " " else {
            self = .text(line)
            return
        }
        let words = rest.drop { $0 == " " }
        let percentText = words.prefix { $0 != " " }
        let message = words.dropFirst(percentText.count).drop { $0 == " " }
        let percent: Double?
        if percentText == "-" {
            percent = nil
        } else if let value = Double(percentText), value.isFinite, (0...1).contains(value) {
            percent = value
        } else {
            self = .malformedProgress(line)
            return
        }
        self = .progress(message: message.isEmpty ? nil : String(message), percent: percent)
    }
}
