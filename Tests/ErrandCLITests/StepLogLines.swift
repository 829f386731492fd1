import Foundation

/// The lines `errand crash-worker` writes to its step file: `start <run-id> <attempt>` and
/// `done <run-id> <attempt>`.
struct StepLogLines {
    /// One attempt of one run.
    struct Attempt: Hashable {
        var run: String
        var number: Int
    }

    /// How many `start` lines each attempt has.
    var starts: [Attempt: Int] = [:]
    /// How many `done` lines each attempt has.
    var dones: [Attempt: Int] = [:]

    /// Reads the file; a last line without its newline (being written) is left out.
    init(path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // empty after the final newline, or a partial line
        for line in lines {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let number = Int(parts[2]) else { continue }
            let attempt = Attempt(run: String(parts[1]), number: number)
            switch parts[0] {
            case "start": starts[attempt, default: 0] += 1
            case "done": dones[attempt, default: 0] += 1
            default: continue
            }
        }
    }

    /// How many `done` lines there are.
    var doneCount: Int { dones.values.reduce(0, +) }

    /// Attempts that started but did not get to `done`.
    var unfinished: Set<Attempt> { Set(starts.keys).subtracting(dones.keys) }
}
