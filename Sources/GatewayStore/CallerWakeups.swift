import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resumes the callers of each committed group on a thread of its own, so the writer starts its
/// next group at once.
///
/// Resuming a caller enqueues its task on the caller's executor: for the writes that suspend on
/// an event loop, a lock and, when that loop sleeps, an `eventfd` write. On the writer that was
/// about an eighth of its time under `partner.put` (issue 13), and the writer's time per write is
/// what bounds writes per second on any number of cores. Here the writer pays one hand-off per
/// group. Callers are still resumed only after their COMMIT returned, and in commit order.
final class CallerWakeups: Sendable {
    private struct Queue {
        var batches: [[@Sendable () -> Void]] = []
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let wakeup = Semaphore()

    private init() {}

    /// The thread is detached: nothing waits for it. It ends once closed and drained, and a
    /// join could deadlock (the last reference to the store may be dropped on it).
    static func start() -> CallerWakeups? {
        let wakeups = CallerWakeups()
        guard let thread = Threads.start(named: "pmsgw-resume", { wakeups.run() }) else { return nil }
        pthread_detach(thread)
        return wakeups
    }

    /// Called by the writer after a COMMIT, with the resumptions of the group's callers.
    func resume(_ batch: [@Sendable () -> Void]) {
        guard !batch.isEmpty else { return }
        queue.withLock { $0.batches.append(batch) }
        wakeup.signal()
    }

    /// Lets the thread resume what was handed over, then end. Called by the writer thread as it
    /// ends, so nothing is handed over after.
    func close() {
        queue.withLock { $0.closed = true }
        wakeup.signal()
    }

    private func run() {
        while true {
            wakeup.wait()
            let (batches, closed) = queue.withLock { queue in
                defer { queue.batches.removeAll(keepingCapacity: true) }
                return (queue.batches, queue.closed)
            }
            for batch in batches {
                for resume in batch { resume() }
            }
            if closed { return }
        }
    }
}
