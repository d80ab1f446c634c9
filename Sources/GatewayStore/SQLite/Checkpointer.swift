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

/// Copies the writer's committed WAL frames back into the database file on a thread of its own, so
/// the writer's thread spends its time on transactions.
///
/// SQLite's automatic checkpoint runs on the committing connection, inside its COMMIT: under
/// `client.create` 16x1 it was 17% of the writer thread's time (each frame read back from the log,
/// written into the file, both synced), time in which no transaction ran. Here the writer's commits
/// only count frames (`sqlite3_wal_hook`, which replaces the automatic checkpoint), and each time
/// ``backgroundFrames`` more have come this thread copies them on its own connection while the
/// writer goes on. As often as SQLite's own checkpoint, not more: each copy syncs the log and the
/// file, and on a disk those syncs compete with the writer's. (Copying after every commit instead
/// cost `partner.put` 16x1 a quarter of its rate on this machine's disk.)
///
/// SQLite starts the log over from its beginning only when a write transaction begins with every
/// frame copied, and a log copied while it grows is rarely caught up at that moment. So once the log
/// holds ``restartFrames`` and this thread is idle, the writer copies what came in during the last
/// background copy itself, as SQLite's own checkpoint would: the log stays near that size however
/// long the load lasts, and the writer's share is that small remainder.
final class Checkpointer: Sendable {
    /// SQLite's own default for its automatic checkpoint.
    static let backgroundFrames: Int32 = 1_000
    static let restartFrames: Int32 = 4_000

    private let wakeup = Semaphore()
    /// Whether this thread has a copy to make or is making one.
    private let busy = Atomic<Bool>(false)
    /// Frames of the current log already copied into the file, as the last copy left it.
    private let copied = Atomic<Int32>(0)
    private let closing = Atomic<Bool>(false)
    /// Held for each copy, by this thread or the writer, so the two never copy at once (the second
    /// would get SQLITE_BUSY and copy nothing).
    private let copying = Mutex(())
    private let thread = Mutex<pthread_t?>(nil)
    private let logger: Logger

    private init(logger: Logger) {
        self.logger = logger
    }

    /// Opens the checkpointer's own connection on `path` and starts its thread; the writer's
    /// `connection` then checkpoints only through it. The writer must call ``detach(from:)`` before it
    /// releases `connection`.
    static func start(path: String, writer connection: Connection, logger: Logger) throws(StoreError) -> Checkpointer {
        let own = try Connection(path: path, create: false)
        // The copy syncs the log before and the file after, as the writer's own checkpoints did.
        try own.exec("PRAGMA synchronous = FULL")
        let checkpointer = Checkpointer(logger: logger)
        // From here on only the checkpoint thread touches its connection.
        let box = UnsafeTransfer(own)
        guard let started = Threads.start(named: "pmsgw-checkpt", { checkpointer.run(box.value) }) else {
            throw StoreError(.unavailable, "cannot start the checkpoint thread")
        }
        checkpointer.thread.withLock { $0 = started }
        sqlite3_wal_hook(
            connection.handle,
            { context, handle, _, frames in
                Unmanaged<Checkpointer>.fromOpaque(context!).takeUnretainedValue().committed(frames: frames, on: handle)
                // Anything else would make the COMMIT that already happened report an error.
                return SQLITE_OK
            }, Unmanaged.passUnretained(checkpointer).toOpaque())
        return checkpointer
    }

    /// Called on the writer's thread after each commit, with the frames now in the log.
    private func committed(frames: Int32, on handle: OpaquePointer?) {
        var copiedFrames = copied.load(ordering: .acquiring)
        if frames < copiedFrames {
            // The log started over since the last copy.
            copied.store(0, ordering: .releasing)
            copiedFrames = 0
        }
        if frames - copiedFrames >= Self.backgroundFrames {
            if !busy.exchange(true, ordering: .acquiringAndReleasing) { wakeup.signal() }
        } else if frames >= Self.restartFrames, !busy.load(ordering: .acquiring) {
            _ = copying.withLockIfAvailable { _ in copy(on: handle) }
        }
    }

    private func run(_ connection: Connection) {
        while true {
            wakeup.wait()
            if closing.load(ordering: .acquiring) { break }
            let result = copying.withLock { _ in copy(on: connection.handle) }
            busy.store(false, ordering: .releasing)
            // Not fatal: the next copy, or the writer's past `restartFrames`, tries again.
            if result != SQLITE_OK && result != SQLITE_BUSY {
                logger.warning("checkpoint failed", metadata: ["error": "\(connection.error(result, "checkpoint"))"])
            }
        }
    }

    /// Copies what readers allow (SQLite's PASSIVE checkpoint, which waits for no one) and notes
    /// how far the file now reaches.
    private func copy(on handle: OpaquePointer?) -> Int32 {
        var logFrames: Int32 = 0
        var copiedFrames: Int32 = 0
        let result = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copiedFrames)
        if result == SQLITE_OK { copied.store(copiedFrames, ordering: .releasing) }
        return result
    }

    /// Gives the writer's `connection` back SQLite's automatic checkpoint (which also takes this
    /// checkpointer's hook off it), then stops the thread.
    func detach(from connection: Connection) {
        sqlite3_wal_autocheckpoint(connection.handle, Self.backgroundFrames)
        stop()
    }

    /// Stops the thread after the copy in progress.
    func stop() {
        closing.store(true, ordering: .releasing)
        wakeup.signal()
        if let started = thread.withLock({ thread in
            defer { thread = nil }
            return thread
        }) {
            Threads.join(started)
        }
    }
}
