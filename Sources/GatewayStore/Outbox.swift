import GatewayCrypto
import GatewayJSON

/// Delivery state of an outbox row; the raw values are what the table's CHECK allows.
package enum OutboxStatus: String, Sendable, CaseIterable {
    case pending
    case delivered
    case failed
    /// The receiver refused it (SPEC 7.3); held, with the receiver's error, until `outbox.retry`.
    case rejected
}

/// One event for eSignet or IDA, as a mutation records it (SPEC 5): who it is for, what happened,
/// whose queue it joins, and the domain data.
///
/// How it travels (HTTP method, path, headers, envelope, timestamps, credentials) is decided by
/// delivery alone, at each attempt, so a change of eSignet's API or of the hub's rules changes
/// one place and applies to rows already queued.
package struct OutboxMessage: Sendable, Equatable {
    /// Who a row is for; the raw values are what `outbox.target` holds.
    package enum Target: String, Sendable, CaseIterable {
        /// eSignet's client-management API.
        case esignet
        /// IDA, through MOSIP's WebSub hub.
        case ida
    }

    /// What happened; the raw values are MOSIP's event topics, which `outbox.topic` holds.
    package enum Topic: String, Sendable, CaseIterable {
        case oidcClientCreated = "OIDC_CLIENT_CREATED"
        case oidcClientUpdated = "OIDC_CLIENT_UPDATED"
        case mispLicenseGenerated = "MISP_LICENSE_GENERATED"
        case mispLicenseUpdated = "MISP_LICENSE_UPDATED"
    }

    package var target: Target
    package var topic: Topic
    /// Rows with the same target and key are delivered strictly in order (a client id, a MISP id).
    package var key: String
    /// eSignet's `request` object, or the `data` of IDA's event (it may hold a license key: it is
    /// never logged, listed or journalled).
    package var payload: JSONObject

    package init(target: Target, topic: Topic, key: String, payload: JSONObject) {
        self.target = target
        self.topic = topic
        self.key = key
        self.payload = payload
    }
}

/// An outbox row as `outbox.list` and `outbox.retry` show it: bookkeeping, never the payload.
package struct OutboxEntry: Sendable, Equatable {
    package var seq: Int
    package var target: String
    package var topic: String
    package var status: String
    package var attempts: Int
    package var lastError: String?
    package var createdAt: String
    package var deliveredAt: String?

    static let columns = "seq, target, topic, status, attempts, last_error, created_at, delivered_at"

    init(_ row: Row) throws(StoreError) {
        seq = try row.int(0)
        target = try row.string(1)
        topic = try row.string(2)
        status = try row.string(3)
        attempts = try row.int(4)
        lastError = try row.optionalString(5)
        createdAt = try row.string(6)
        deliveredAt = try row.optionalString(7)
    }
}

/// What `outbox.retry` found.
package enum OutboxRetryResult: Sendable {
    case retried(OutboxEntry)
    case notFound
    /// Only a `failed` or `rejected` row goes back to pending.
    case notFailed(OutboxEntry)
}

extension ReadConnection {
    /// Pending and failed rows, from the counts the outbox's triggers keep: constant time however
    /// large the backlog (a target whose URL is null keeps every row pending).
    package func outboxCounts() throws(StoreError) -> (pending: Int, failed: Int) {
        var counts = (pending: 0, failed: 0)
        for row in try query(
            """
            SELECT status, CAST(sum(n) AS BIGINT) FROM outbox_counts WHERE status IN ('pending', 'failed')
            GROUP BY status
            """)
        {
            if try row.string(0) == "pending" {
                counts.pending = try row.int(1)
            } else {
                counts.failed = try row.int(1)
            }
        }
        return counts
    }

    /// Rows after `after` by seq, optionally of one status and target.
    package func outboxEntries(
        status: OutboxStatus?, target: OutboxMessage.Target?, after: Int, limit: Int
    ) throws(StoreError) -> [OutboxEntry] {
        var conditions = ["seq > ?"]
        var bindings: [SQLValue] = [SQLValue(after)]
        if let status {
            conditions.append("status = ?")
            bindings.append(.text(status.rawValue))
        }
        if let target {
            conditions.append("target = ?")
            bindings.append(.text(target.rawValue))
        }
        bindings.append(SQLValue(limit))
        let sql = """
            SELECT \(OutboxEntry.columns) FROM outbox WHERE \(conditions.joined(separator: " AND "))
            ORDER BY seq LIMIT ?
            """
        return try query(sql, bindings).map { row throws(StoreError) in try OutboxEntry(row) }
    }
}

/// An outbox message serialized for its row: its body text and message id are made when the
/// message is, so a write can encode its messages before it queues and leave the single writer
/// only the INSERT.
package struct EncodedOutboxMessage: Sendable {
    let target: OutboxMessage.Target
    let topic: OutboxMessage.Topic
    let key: String
    let body: String
    let messageId: String

    package init(_ message: OutboxMessage) {
        target = message.target
        topic = message.topic
        key = message.key
        body = JSONValue.object(message.payload).serialized()
        messageId = RandomUUID.make()
    }
}

extension WriteTransaction {
    /// Records a message in the mutation's own transaction, so the event exists if and only if the
    /// change it describes was committed (the transactional outbox). Returns the row's `seq`.
    @discardableResult
    package func enqueue(_ message: OutboxMessage) throws(StoreError) -> Int {
        try enqueue([EncodedOutboxMessage(message)])[0]
    }

    /// Records `messages` in one INSERT, in their order; their seqs, ascending. One statement's
    /// bookkeeping (AUTOINCREMENT's counter among it) serves them all: a create records two.
    @discardableResult
    package func enqueue(_ messages: [EncodedOutboxMessage]) throws(StoreError) -> [Int] {
        var seqs: [Int] = []
        var start = messages.startIndex
        while start < messages.endIndex {
            let chunk = messages[start..<min(start + Self.rowsPerOutboxInsert, messages.endIndex)]
            let now = UTCTimestamp.nowMilliseconds()
            let createdAt = UTCTimestamp.format(epochMilliseconds: now)
            var bindings: [SQLValue] = []
            bindings.reserveCapacity(chunk.count * 7)
            for message in chunk {
                bindings += [
                    .text(message.target.rawValue), .text(message.topic.rawValue), .text(message.key),
                    .text(message.body), .text(message.messageId), .text(createdAt), .integer(now),
                ]
            }
            let inserted = try query(Self.outboxInserts[chunk.count - 1], bindings)
            guard inserted.count == chunk.count else {
                throw StoreError(.sql, "INSERT … RETURNING gave \(inserted.count) seqs for \(chunk.count) rows")
            }
            // Rows are inserted in VALUES order, and AUTOINCREMENT only climbs.
            seqs += try inserted.map { row throws(StoreError) in try row.int(0) }.sorted()
            start = chunk.endIndex
        }
        return seqs
    }

    private static let rowsPerOutboxInsert = 4

    /// The INSERT for 1 … `rowsPerOutboxInsert` rows, built once.
    private static let outboxInserts: [String] = (1...rowsPerOutboxInsert).map { rows in
        let row = "(?, ?, ?, ?, ?, 'pending', 0, ?, ?)"
        return """
            INSERT INTO outbox (target, topic, ordering_key, body, message_id, status, attempts, created_at,
                                next_attempt_ms)
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", ")) RETURNING seq
            """
    }

    /// A `failed` or `rejected` row back to `pending`, attempts reset, due now; `payload`, when
    /// given, replaces what the row will send (a rejected call rebuilt from the current state).
    package func retryOutbox(seq: Int, payload: JSONObject? = nil) throws(StoreError) -> OutboxRetryResult {
        let changed = try execute(
            """
            UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_ms = ?, error_code = NULL,
                              body = coalesce(?, body)
            WHERE seq = ? AND status IN ('failed', 'rejected')
            """,
            [
                .integer(UTCTimestamp.nowMilliseconds()), SQLValue(payload.map { JSONValue.object($0).serialized() }),
                SQLValue(seq),
            ])
        guard let row = try query("SELECT \(OutboxEntry.columns) FROM outbox WHERE seq = ?", [SQLValue(seq)]).first
        else { return .notFound }
        let entry = try OutboxEntry(row)
        return changed == 1 ? .retried(entry) : .notFailed(entry)
    }
}

/// A `(target, status)` pair of the outbox, for counting rows by both.
package struct OutboxRowCount: Hashable, Sendable {
    package var target: OutboxMessage.Target
    package var status: String

    package init(target: OutboxMessage.Target, status: String) {
        self.target = target
        self.status = status
    }
}

extension ReadConnection {
    /// Rows per target and status. A scan of the outbox: for metrics, every few seconds at most.
    package func outboxRowCounts() throws(StoreError) -> [OutboxRowCount: Int] {
        var counts: [OutboxRowCount: Int] = [:]
        for row in try query("SELECT target, status, count(*) FROM outbox GROUP BY target, status") {
            guard let target = OutboxMessage.Target(rawValue: try row.string(0)) else { continue }
            counts[OutboxRowCount(target: target, status: try row.string(1))] = try row.int(2)
        }
        return counts
    }
}
