import Errand
import Foundation
import PostgresNIO

/// The columns of the `wait_tokens` table and the mapping to ``WaitToken``.
enum TokenColumns {
    /// The columns of a token, in the order ``record(_:)`` reads them.
    static let selection = "id, run_id, idempotency_key, status, value, created_at, expires_at, resolved_at"

    /// The token in a row selected with ``selection``.
    static func record(_ row: RowReader) throws -> WaitToken {
        let statusText = try row.string(3)
        guard let status = WaitTokenStatus(rawValue: statusText) else {
            throw PostgresStoreError(message: "unknown token status \(statusText) in the wait_tokens table")
        }
        return WaitToken(
            id: try row.string(0), runID: try row.optionalString(1).map { RunID($0) }, idempotencyKey: try row.optionalString(2),
            status: status, value: try row.optionalData(4), createdAt: try row.date(5), expiresAt: try row.optionalDate(6),
            resolvedAt: try row.optionalDate(7)
        )
    }

    /// The token with this id, or `nil`; `lock` takes its row lock.
    static func fetch(id: String, lock: Bool = false, _ t: Tables, _ session: Session) async throws -> WaitToken? {
        try await session.map(
            "SELECT \(unescaped: selection) FROM \(unescaped: t.waitTokens) WHERE id = \(id)\(unescaped: lock ? " FOR UPDATE" : "")",
            record
        ).first
    }

    /// Stores `token` and returns it, or returns the token that already holds its idempotency key
    /// (the unique index `wait_tokens_idempotency` decides between racing transactions).
    static func create(_ token: WaitToken, _ t: Tables, _ session: Session) async throws -> WaitToken {
        let inserted = try await session.rows(
            """
            INSERT INTO \(unescaped: t.waitTokens) (id, run_id, idempotency_key, status, value, created_at, expires_at, resolved_at)
            VALUES (
                \(token.id), \(token.runID?.rawValue), \(token.idempotencyKey), \(token.status.rawValue), \(token.value),
                \(ColumnCoding.time(token.createdAt)), \(ColumnCoding.optionalTime(token.expiresAt)), \(ColumnCoding.optionalTime(token.resolvedAt))
            )
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING 1
            """
        )
        if !inserted.isEmpty { return token }
        guard let key = token.idempotencyKey,
              let existing = try await session.map(
                  "SELECT \(unescaped: selection) FROM \(unescaped: t.waitTokens) WHERE idempotency_key = \(key)", record
              ).first
        else {
            throw PostgresStoreError(message: "token \(token.id) was neither stored nor found by its idempotency key")
        }
        return existing
    }
}
