extension Schema {
    /// Version 8: the runs waiting on a token, by token, so resolving a token wakes every run
    /// that waits on it (not only the run that made it) without reading every step.
    static let v8 = """
        CREATE INDEX steps_waiting_token ON steps (token_id) WHERE status = 'waiting';
        """
}
