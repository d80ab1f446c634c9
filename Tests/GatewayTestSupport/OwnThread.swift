import Foundation

/// Runs a test's blocking body (sockets, processes, `Poll.wait`) on a thread of its own.
///
/// Swift Testing runs synchronous tests on the cooperative pool, which has one thread per core:
/// on 2 cores, two long blocking tests hold the whole pool, and every async test's `await` waits
/// behind them, past its own deadlines. The long multi-process tests run here instead.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
