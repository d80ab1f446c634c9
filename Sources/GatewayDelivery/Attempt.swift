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
        } catch {
            let failures = row.attempts + 1
            if error.permanent || failures >= configuration.maxAttempts {
                result = .failed(error, retryAt: nil)
            } else {
                let backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff)
                let due = Timestamp.nowMilliseconds() + backoff.delay(afterFailures: failures).milliseconds
                result = .failed(error, retryAt: due)
            }
        }
        return DeliveryOutcome(row: row, result: result, finishedAt: Timestamp.now())
    }
}
