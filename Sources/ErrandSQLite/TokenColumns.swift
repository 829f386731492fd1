import Errand
import Foundation
import GRDB

/// The columns of the `wait_tokens` table and the mapping to ``WaitToken``.
enum TokenColumns {
    /// The columns of a token, in the order ``record(_:)`` reads them.
    static let selection = "id, run_id, idempotency_key, status, value, created_at, expires_at, resolved_at"

    static let selectByIDSQL = "SELECT \(selection) FROM wait_tokens WHERE id = ?"
    static let selectByKeySQL = "SELECT \(selection) FROM wait_tokens WHERE idempotency_key = ?"

    /// Stores a token unless one holds its idempotency key (`wait_tokens_idempotency` decides).
    static let insertSQL = """
        INSERT INTO wait_tokens (id, run_id, idempotency_key, status, value, created_at, expires_at, resolved_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        """

    /// Writes a resolution, only while the token is pending.
    static let resolveSQL = "UPDATE wait_tokens SET status = ?, value = ?, resolved_at = ? WHERE id = ? AND status = 'pending'"

    /// Deletes a run's tokens.
    static let deleteSQL = "DELETE FROM wait_tokens WHERE run_id = ?"

    /// The token in the current row of a statement selecting ``selection``.
    static func record(_ row: ColumnReader) throws -> WaitToken {
        let statusText = row.string(3)
        guard let status = WaitTokenStatus(rawValue: statusText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown token status \(statusText) in the wait_tokens table")
        }
        return WaitToken(
            id: row.string(0), runID: row.optionalString(1).map { RunID($0) }, idempotencyKey: row.optionalString(2),
            status: status, value: row.optionalData(4), createdAt: row.date(5), expiresAt: row.optionalDate(6),
            resolvedAt: row.optionalDate(7)
        )
    }

    /// The token with this id, or `nil`.
    static func fetch(id: String, _ db: Database) throws -> WaitToken? {
        try fetch(sql: selectByIDSQL, id, db)
    }

    /// The token holding this idempotency key, or `nil`.
    static func fetch(idempotencyKey: String, _ db: Database) throws -> WaitToken? {
        try fetch(sql: selectByKeySQL, idempotencyKey, db)
    }

    private static func fetch(sql: String, _ value: String, _ db: Database) throws -> WaitToken? {
        var binder = StatementBinder(try db.cachedStatement(sql: sql), db)
        binder.bind(value)
        return try binder.firstRow(record)
    }

    /// Stores `token` and returns it, or returns the token that already holds its idempotency key.
    static func create(_ token: WaitToken, _ db: Database) throws -> WaitToken {
        var binder = StatementBinder(try db.cachedStatement(sql: insertSQL), db)
        binder.bind(token.id)
        binder.bind(token.runID?.rawValue)
        binder.bind(token.idempotencyKey)
        binder.bind(token.status.rawValue)
        binder.bind(token.value)
        binder.bind(token.createdAt)
        binder.bind(token.expiresAt)
        binder.bind(token.resolvedAt)
        try binder.execute()
        if db.changesCount > 0 { return token }
        guard let key = token.idempotencyKey, let existing = try fetch(idempotencyKey: key, db) else {
            throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "token \(token.id) was neither stored nor found by its key")
        }
        return existing
    }

    /// Writes a pending token's resolution.
    static func resolve(_ token: WaitToken, _ db: Database) throws {
        var binder = StatementBinder(try db.cachedStatement(sql: resolveSQL), db)
        binder.bind(token.status.rawValue)
        binder.bind(token.value)
        binder.bind(token.resolvedAt)
        binder.bind(token.id)
        try binder.execute()
    }
}
