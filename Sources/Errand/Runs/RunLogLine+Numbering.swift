extension RunLogLine {
    /// Numbers lines as every store stores them: per run, after the run's last stored index,
    /// keeping at most ``maximumPerRun`` lines per run (the line that reaches the bound becomes
    /// ``truncationMarker(runID:attempt:at:)``, later ones are dropped).
    ///
    /// - Parameters:
    ///   - lines: The lines to append, in order.
    ///   - lastIndex: The last stored index of a run (0 when it has none); asked once per run.
    /// - Returns: The lines to store, numbered.
    public static func numbered(_ lines: [RunLogLine], lastIndex: (RunID) throws -> Int) rethrows -> [RunLogLine] {
        var counts: [RunID: Int] = [:]
        var stored: [RunLogLine] = []
        stored.reserveCapacity(lines.count)
        for line in lines {
            let count = try counts[line.runID] ?? lastIndex(line.runID)
            counts[line.runID] = count
            guard count < maximumPerRun else { continue }
            var numbered = line
            numbered.index = count + 1
            if numbered.index == maximumPerRun {
                numbered = .truncationMarker(runID: line.runID, attempt: line.attempt, at: line.at)
            }
            stored.append(numbered)
            counts[line.runID] = numbered.index
        }
        return stored
    }
}
