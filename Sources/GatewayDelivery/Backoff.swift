/// The wait before the next attempt: `initial · 2^(failures-1)`, capped at `maximum`.
///
/// No jitter: at most `maxInFlight` rows are on the wire at once, so a receiver that comes back
/// is not stampeded, and a deterministic schedule is what an operator reading `outbox.list` (and
/// a test) can predict.
struct Backoff: Sendable {
    var initial: Duration
    var maximum: Duration

    /// The delay after the `failures`-th failed attempt (1 for the first failure).
    func delay(afterFailures failures: Int) -> Duration {
        guard failures > 1 else { return min(initial, maximum) }
        var delay = initial
        for _ in 1..<failures {
            delay *= 2
            // Stop doubling once capped, so 20+ failures cannot overflow the Duration.
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a 0.5 ms backoff never becomes "due now".
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let fromAtto = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return seconds * 1000 + fromAtto
    }
}
