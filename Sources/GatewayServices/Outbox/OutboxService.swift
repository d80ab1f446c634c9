import GatewayJSON
import GatewayStore

/// `outbox.list` and `outbox.retry` (SPEC 5): what waits for eSignet and IDA, and the operator's
/// way to send a failed row again.
///
/// A struct, not an actor: it keeps no state; the store's single writer orders the retries.
package struct OutboxService: Sendable {
    let store: Store
    /// Told after a retry commits, so delivery picks the row up without waiting for its scan.
    let wakeDelivery: @Sendable () -> Void

    package init(store: Store, wakeDelivery: @escaping @Sendable () -> Void) {
        self.store = store
        self.wakeDelivery = wakeDelivery
    }

    package struct ListQuery: Sendable {
        package var status: OutboxStatus?
        package var target: OutboxMessage.Target?
        package var after: Int
        package var limit: Int

        package init(status: OutboxStatus?, target: OutboxMessage.Target?, after: Int, limit: Int) {
            self.status = status
            self.target = target
            self.after = after
            self.limit = limit
        }
    }

    /// Entries by seq ascending after `after`. Payloads are never listed: MISP events carry keys.
    package func list(_ query: ListQuery) throws -> [OutboxEntry] {
        try store.read { connection in
            try connection.outboxEntries(
                status: query.status, target: query.target, after: query.after, limit: query.limit)
        }
    }

    /// A `failed` or `rejected` row back to `pending`, attempts reset, due now; journalled as
    /// `outbox.retry` / `outbox` / `"<seq>"` in the same transaction (the change names the row,
    /// never its payload). An eSignet call is rebuilt from the client's current state (SPEC 7.3),
    /// so an operator can fix what eSignet refused with `client.update` and retry.
    package func retry(seq: Int, context: CallContext) async throws -> OutboxEntry {
        let entry = try await store.write { transaction throws -> OutboxEntry in
            switch try transaction.retryOutbox(seq: seq, payload: try Self.currentPayload(seq, transaction)) {
            case .notFound:
                throw GatewayError(.notFound, "GW_NOT_FOUND", "outbox entry \(seq) not found")
            case .notFailed(let entry):
                throw GatewayError(
                    .conflict, "GW_OUTBOX_NOT_FAILED",
                    "outbox entry \(seq) is \(entry.status); only a failed or rejected entry can be retried")
            case .retried(let entry):
                let change: JSONValue = [
                    "seq": JSONValue(seq), "target": .string(entry.target), "topic": .string(entry.topic),
                    "status": "pending", "attempts": 0,
                ]
                transaction.journal(context.draft("outbox.retry", "outbox", "\(seq)", change: change))
                return entry
            }
        }
        wakeDelivery()
        return entry
    }

    /// eSignet's request for the client as it is now, for an eSignet row; nil for any other row.
    private static func currentPayload(_ seq: Int, _ transaction: borrowing WriteTransaction) throws
        -> JSONObject?
    {
        guard
            let row = try transaction.query(
                "SELECT topic, ordering_key FROM outbox WHERE seq = ? AND target = 'esignet'", [SQLValue(seq)]
            ).first,
            let client = try transaction.client(try row.string(1))
        else { return nil }
        switch OutboxMessage.Topic(rawValue: try row.string(0)) {
        case .oidcClientCreated?: return ClientEvents.esignetCreate(client).payload
        case .oidcClientUpdated?: return ClientEvents.esignetUpdate(client).payload
        default: return nil
        }
    }
}
