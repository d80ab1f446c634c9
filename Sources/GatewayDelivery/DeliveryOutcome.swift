import GatewayStore

/// What became of one attempt, waiting to be written back.
struct DeliveryOutcome: Sendable {
    enum Result: Sendable {
        case delivered
        /// `retryAt` is nil when the row has used up its attempts and becomes `failed`.
        case failed(DeliveryFailure, retryAt: Int64?)
    }

    var row: OutboxRow
    var result: Result
    var finishedAt: String
}

extension WriteTransaction {
    /// Writes a batch of outcomes in one transaction (the deliverer's bookkeeping).
    ///
    /// Not journalled: the journal records state mutations made by callers, and a delivery is
    /// not one — it is the side effect of an entry already journalled, and journalling every
    /// attempt would grow the hash chain by two entries per create. `outbox.retry`, an operator's
    /// decision, is journalled.
    ///
    /// `status = 'pending'` in every WHERE makes a stale outcome harmless: a row an operator
    /// changed meanwhile is left as the operator left it.
    func record(_ outcomes: [DeliveryOutcome]) throws(StoreError) {
        for outcome in outcomes {
            switch outcome.result {
            case .delivered:
                try execute(
                    """
                    UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?,
                                      next_attempt_ms = NULL
                    WHERE seq = ? AND status = 'pending'
                    """,
                    [.text(outcome.finishedAt), SQLValue(outcome.row.seq)])
            case .failed(let failure, let retryAt):
                try execute(
                    """
                    UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_ms = ?
                    WHERE seq = ? AND status = 'pending'
                    """,
                    [
                        .text(retryAt == nil ? "failed" : "pending"), .text(failure.message),
                        retryAt.map(SQLValue.integer) ?? .null,
                        SQLValue(outcome.row.seq),
                    ])
            }
        }
    }
}
