import GatewayStore

/// One try at one row, turned into the outcome the loop writes back. Runs as a child task.
struct Attempt: Sendable {
    let row: OutboxRow
    let sender: HTTPDelivery
    let configuration: DeliveryConfiguration

    func run() async -> DeliveryOutcome {
        let result: DeliveryOutcome.Result
        do {
            try await sender.send(row)
            result = .delivered
        } catch let error where error.rejection != nil {
            result = .rejected(error)
        } catch {
            let failures = row.attempts + 1
            if error.permanent || failures >= configuration.maxAttempts {
                result = .failed(error, retryAt: nil)
            } else {
                let backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff)
                let due = UTCTimestamp.nowMilliseconds() + backoff.delay(afterFailures: failures).milliseconds
                result = .failed(error, retryAt: due)
            }
        }
        return DeliveryOutcome(row: row, result: result, finishedAt: UTCTimestamp.now())
    }
}

/// One attempt, as the metrics count it.
package struct DeliveryAttemptRecord: Sendable {
    /// SPEC 10's outcome label.
    package enum Outcome: String, Sendable, CaseIterable {
        case delivered
        /// The receiver refused the row (held until `outbox.retry`).
        case rejected
        /// It did not get through (network, 5xx, an expired token); retried, or failed for good
        /// once its attempts are used up.
        case transient
    }

    package var target: OutboxMessage.Target
    package var outcome: Outcome
    package var duration: Duration

    init(_ attempt: DeliveryOutcome, duration: Duration) {
        target = attempt.row.target
        switch attempt.result {
        case .delivered: outcome = .delivered
        case .rejected: outcome = .rejected
        case .failed: outcome = .transient
        }
        self.duration = duration
    }
}

/// What became of one attempt, waiting to be written back.
struct DeliveryOutcome: Sendable {
    enum Result: Sendable {
        case delivered
        /// The receiver refused it: not retried, held until `outbox.retry`.
        case rejected(DeliveryFailure)
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
    /// changed meanwhile is left as the operator left it. Every outcome ends the row's claim, so a
    /// retry falls due at its backoff, not at the end of the lease.
    func record(_ outcomes: [DeliveryOutcome]) throws(StoreError) {
        for outcome in outcomes {
            switch outcome.result {
            case .delivered:
                try execute(
                    """
                    UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?1,
                                      updated_at = ?1, next_attempt_ms = NULL, claimed_by = NULL, lease_until_ms = NULL
                    WHERE seq = ?2 AND status = 'pending'
                    """,
                    [.text(outcome.finishedAt), SQLValue(outcome.row.seq)])
            case .rejected(let failure):
                try execute(
                    """
                    UPDATE outbox SET status = 'rejected', attempts = attempts + 1, last_error = ?, error_code = ?,
                                      updated_at = ?, next_attempt_ms = NULL, claimed_by = NULL, lease_until_ms = NULL
                    WHERE seq = ? AND status = 'pending'
                    """,
                    [
                        .text(failure.message), SQLValue(failure.rejection), .text(outcome.finishedAt),
                        SQLValue(outcome.row.seq),
                    ])
            case .failed(let failure, let retryAt):
                try execute(
                    """
                    UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_ms = ?,
                                      updated_at = ?, claimed_by = NULL, lease_until_ms = NULL
                    WHERE seq = ? AND status = 'pending'
                    """,
                    [
                        .text(retryAt == nil ? "failed" : "pending"), .text(failure.message),
                        retryAt.map(SQLValue.integer) ?? .null, .text(outcome.finishedAt),
                        SQLValue(outcome.row.seq),
                    ])
            }
        }
    }
}

/// Why one delivery attempt failed, in words fit for `outbox.last_error` and a log line.
///
/// Built only from what is safe to show: the HTTP status, the receiver's error codes, a transport
/// error's description. Never from the body we sent: IDA's MISP events carry license keys.
struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    /// True when retrying cannot help (a malformed row): the row becomes `failed` at once.
    var permanent = false
    /// The receiver refused the call (SPEC 7.3); its error code. The row becomes `rejected`.
    var rejection: String?

    init(_ message: String) {
        // Keeps the column and the log line short whatever a receiver sends back.
        self.message = message.count > 500 ? String(message.prefix(500)) + "…" : message
    }

    var description: String { message }
}
