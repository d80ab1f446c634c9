import CSQLite
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Copies the WAL back into the database file on a thread of its own, so the writer only appends.
///
/// By default SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages: the writer
/// reads every frame back and writes it into the database file, then fsyncs it, while each caller
/// of its group waits. Under `client.create` that was about a third of the writer's system calls
/// (issue 13). Here the writer's COMMIT only tells this thread how long the WAL is; the thread
/// runs a PASSIVE checkpoint on its own connection, which never blocks the writer or a reader,
/// and the writer starts the WAL afresh at its next transaction once everything was copied.
final class Checkpointer: Sendable {
    /// WAL pages that start a checkpoint: SQLite's own default.
    static let walPages: Int32 = 1000
    /// The pause before a checkpoint that could not copy every frame tries again.
    static let retryInterval = Duration.milliseconds(20)

    private let wakeup = Semaphore()
    /// Set when a checkpoint was asked for and has not started, so a burst of commits past the
    /// mark wakes the thread once.
    private let requested = Atomic<Bool>(false)
    private let closing = Atomic<Bool>(false)
    private let thread = Mutex<pthread_t?>(nil)
    private let completed = Atomic<Int>(0)

    private init() {}

    /// Opens the checkpointing connection to `path` and starts its thread.
    static func start(path: String, logger: Logger) throws(StoreError) -> Checkpointer {
        let connection = try Connection(path: path, create: false)
        // The copy into the database file is synced before the WAL is reused, as at the writer's
        // own checkpoints.
        try connection.exec("PRAGMA synchronous = FULL")
        let checkpointer = Checkpointer()
        let box = UnsafeTransfer(connection)
        guard
            let thread = Threads.start(
                named: "pmsgw-checkpt", { checkpointer.run(box.value, logger: logger) })
        else {
            throw StoreError(.unavailable, "cannot start the checkpoint thread")
        }
        checkpointer.thread.withLock { $0 = thread }
        return checkpointer
    }

    /// Checkpoints that ran to their end (every frame copied at that moment); for tests.
    var checkpoints: Int { completed.load(ordering: .relaxed) }

    /// Hands `writer`'s checkpoints to this thread. The hook replaces SQLite's automatic
    /// checkpoint; it holds this object unretained, so the store closes the writer's connection
    /// before it closes this.
    func watch(_ writer: Connection) {
        sqlite3_wal_hook(
            writer.handle,
            { context, _, _, pages in
                guard let context else { return SQLITE_OK }
                Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().walGrew(to: pages)
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called on the writer thread after each COMMIT with the WAL's length in pages.
    private func walGrew(to pages: Int32) {
        guard pages >= Self.walPages, !requested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wakeup.signal()
    }

    /// Stops the thread after any checkpoint under way; the last connection to close checkpoints
    /// whatever is left.
    func close() {
        closing.store(true, ordering: .releasing)
        wakeup.signal()
        if let thread = thread.withLock({ thread in
            defer { thread = nil }
            return thread
        }) {
            Threads.join(thread)
        }
    }

    private func run(_ connection: Connection, logger: Logger) {
        while true {
            wakeup.wait()
            // Until every frame is copied: a reader still on an older snapshot keeps the frames
            // it may need (PASSIVE skips them) and may hold the lock the copy takes (SQLITE_BUSY).
            // Both pass in a moment, and no commit may come to ask again.
            while !closing.load(ordering: .acquiring) {
                requested.store(false, ordering: .releasing)
                var walFrames: Int32 = 0
                var copied: Int32 = 0
                let result = sqlite3_wal_checkpoint_v2(
                    connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &copied)
                if result == SQLITE_OK, copied == walFrames {
                    completed.add(1, ordering: .relaxed)
                    break
                }
                if result != SQLITE_OK, result != SQLITE_BUSY {
                    // Tried again at the next commit past the mark; meanwhile the WAL only grows.
                    logger.error(
                        "WAL checkpoint failed", metadata: ["error": "\(connection.error(result, "checkpoint"))"])
                    break
                }
                _ = wakeup.wait(timeout: Self.retryInterval)
            }
            if closing.load(ordering: .acquiring) { return }
        }
    }
}
