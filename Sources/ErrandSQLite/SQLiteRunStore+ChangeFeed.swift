import Errand

/// Workers on a SQLite store wake on ``SQLiteRunStore/changes()`` (inotify on Linux) when another
/// process triggers runs.
extension SQLiteRunStore: RunStoreChangeFeed {}
