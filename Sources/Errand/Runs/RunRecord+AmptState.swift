extension RunRecord {
    /// The error message of a failed run (Ampt's `errorMessage`).
    public var errorMessage: String? { status == .completed ? nil : error?.message }

    /// The error's detail, such as a stack (Ampt's `errorStack`).
    public var errorStack: String? { status == .completed ? nil : error?.stack }
}
