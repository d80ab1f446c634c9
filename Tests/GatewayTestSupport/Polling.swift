import Foundation

/// Waiting for a condition, always with a deadline: the only way the tests wait for anything.
///
/// A test never sleeps a fixed time hoping that something has happened meanwhile; it polls for
/// the thing itself, and a condition that never comes true ends the wait at the deadline (the
/// caller then fails, rather than the run hanging).
public enum Poll {
    /// How long a poll sleeps between two looks at its condition.
    public static let interval: Duration = .milliseconds(5)

    /// Polls `condition` until it holds or `timeout` has passed; whether it held. Blocks the
    /// calling thread (for tests that drive processes and sockets synchronously).
    @discardableResult
    public static func until(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try condition() { return true }
            guard ContinuousClock.now < deadline else { return false }
            pause(interval)
        }
    }

    /// Like ``until(timeout:_:)``, but throws ``TestFailure`` naming `what` at the deadline.
    public static func wait(
        for what: String, timeout: Duration = .seconds(10), _ condition: () throws -> Bool
    ) throws {
        guard try until(timeout: timeout, condition) else { throw TestFailure("timed out waiting for: \(what)") }
    }

    /// Blocks the calling thread for `duration`; only between two looks of a poll.
    static func pause(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

/// Polls `condition` from a task until it holds, throwing ``TestFailure`` naming `what` after
/// `timeout`.
public func eventually(
    _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for: \(what)") }
        try await Task.sleep(for: Poll.interval)
    }
}
