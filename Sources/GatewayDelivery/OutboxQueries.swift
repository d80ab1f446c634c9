import GatewayJSON
import GatewayStore

/// `outbox.list` and `outbox.retry` (SPEC 5).
public enum OutboxQueries {
    static let columns = "seq, target, topic, status, attempts, last_error, created_at, delivered_at"

    /// `{status?, target?, after?, limit?}` → `{entries: [{seq, target, topic, status, attempts,
    /// lastError, createdAt, deliveredAt}]}`, by seq ascending after `after` (default 0); `limit`
    /// 1-1000, default 100. Bodies are never listed: MISP events carry license keys.
    public static func list(_ params: JSONObject, store: Store) throws -> JSONValue {
        let status = try optionalEnum(params, "status", OutboxStatus.allCases.map(\.rawValue))
        let target = try optionalEnum(params, "target", OutboxTarget.allCases.map(\.rawValue))
        let after = try optionalInt(params, "after", 0...Int.max) ?? 0
        let limit = try optionalInt(params, "limit", 1...1000) ?? 100

        var conditions = ["seq > ?"]
        var bindings: [SQLValue] = [SQLValue(after)]
        if let status {
            conditions.append("status = ?")
            bindings.append(.text(status))
        }
        if let target {
            conditions.append("target = ?")
            bindings.append(.text(target))
        }
        bindings.append(SQLValue(limit))
        let sql = "SELECT \(columns) FROM outbox WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?"
        let entries = try store.read { connection in
            try connection.query(sql, bindings).map { row throws(StoreError) in try entry(row) }
        }
        return ["entries": .array(entries)]
    }

    /// `{seq}`: a `failed` row back to `pending`, attempts reset, due now; journalled as
    /// `outbox.retry` / `outbox` / `"<seq>"` in the same transaction. Returns the entry as
    /// `outbox.list` shows it. Wake the deliverer (`notifyEnqueued()`) afterwards.
    public static func retry(
        _ params: JSONObject, store: Store, peer: Peer, requestId: String?
    ) async throws -> JSONValue {
        guard let seq = try optionalInt(params, "seq", 1...Int.max) else {
            throw OutboxError.invalidParameter("seq", "must not be null")
        }
        return try await store.write { transaction throws -> JSONValue in
            let now = Timestamp.now()
            let changed = try transaction.execute(
                """
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?
                WHERE seq = ? AND status = 'failed'
                """,
                [.text(now), SQLValue(seq)])
            let rows = try transaction.query("SELECT \(columns) FROM outbox WHERE seq = ?", [SQLValue(seq)])
            guard let row = rows.first else {
                throw OutboxError(.notFound, "GW_NOT_FOUND", "outbox entry \(seq) not found")
            }
            guard changed == 1 else {
                let status = try row.string(3)
                throw OutboxError(
                    .notFailed, "GW_OUTBOX_NOT_FAILED",
                    "outbox entry \(seq) is \(status); only a failed entry can be retried")
            }
            // The change names the row and its new state, never its body.
            let change: JSONValue = [
                "seq": JSONValue(seq), "target": .string(try row.string(1)), "topic": .string(try row.string(2)),
                "status": "pending", "attempts": 0,
            ]
            try transaction.journal(
                JournalDraft(
                    method: "outbox.retry", entityType: "outbox", entityId: "\(seq)", peer: peer, requestId: requestId,
                    change: change))
            return try entry(row)
        }
    }

    private static func entry(_ row: Row) throws(StoreError) -> JSONValue {
        .object(
            JSONObject([
                ("seq", JSONValue(try row.int(0))),
                ("target", .string(try row.string(1))),
                ("topic", .string(try row.string(2))),
                ("status", .string(try row.string(3))),
                ("attempts", JSONValue(try row.int(4))),
                ("lastError", JSONValue(try row.optionalString(5))),
                ("createdAt", .string(try row.string(6))),
                ("deliveredAt", JSONValue(try row.optionalString(7))),
            ]))
    }

    private static func optionalEnum(_ params: JSONObject, _ field: String, _ allowed: [String]) throws(OutboxError)
        -> String?
    {
        switch params[field] {
        case nil, .null?:
            return nil
        case .string(let text)? where allowed.contains(text):
            return text
        case .string?:
            throw .invalidParameter(field, "must be one of \(allowed.joined(separator: ", "))")
        default:
            throw .invalidParameter(field, "must be a string")
        }
    }

    private static func optionalInt(_ params: JSONObject, _ field: String, _ range: ClosedRange<Int>)
        throws(OutboxError) -> Int?
    {
        switch params[field] {
        case nil, .null?:
            return nil
        case .number(let number)?:
            guard let value = number.int else { throw .invalidParameter(field, "must be an integer") }
            guard range.contains(value) else {
                let upper = range.upperBound == Int.max ? "" : " and at most \(range.upperBound)"
                throw .invalidParameter(field, "must be at least \(range.lowerBound)\(upper)")
            }
            return value
        default:
            throw .invalidParameter(field, "must be an integer")
        }
    }
}
