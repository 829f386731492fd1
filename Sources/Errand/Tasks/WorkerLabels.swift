/// Rules for worker labels (``WorkerConfiguration/labels``, ``TaskOptions/requiredLabels``).
public enum WorkerLabels {
    /// Checks a label: 1…64 characters among letters, digits, `-`, `_` and `.`.
    public static func validate(_ label: String, field: String) throws {
        let allowed = label.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "-_.".unicodeScalars.contains(scalar)
        }
        guard !label.isEmpty, label.count <= 64, allowed else {
            throw ErrandError.invalidArgument(field: field, value: label, allowed: "a label is 1 to 64 letters, digits, -, _ or .")
        }
    }
}
