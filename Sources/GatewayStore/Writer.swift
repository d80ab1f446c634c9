import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counters that show group commit at work.
package struct WriteStatistics: Sendable, Equatable {
    /// Successful COMMITs.
    package var commits = 0
    /// Write bodies whose changes were committed.
    package var committedWrites = 0
    /// Write bodies that threw and were rolled back on their own.
    package var rolledBackWrites = 0
    /// Groups whose COMMIT (or BEGIN) failed; every write in them failed with `.unavailable`.
    package var failedGroups = 0
    /// The most bodies ever committed together.
    package var largestGroup = 0
    /// Committed groups by how many writes they held.
    package var groupSizes = BucketCounts(bounds: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
    /// Committed groups by their time from BEGIN to the end of COMMIT, fsync included.
    package var groupNanoseconds = BucketCounts(bounds: BucketCounts.latencyBoundsNanoseconds)
}

/// One queued `Store.write` call, type-erased so bodies of different result types share a queue.
struct WriteJob: Sendable {
    enum Outcome {
        /// The body returned; `resume` hands its value to the caller (called only after COMMIT).
        case succeeded(resume: @Sendable () -> Void)
        case threw(any Error)
    }

    let perform: @Sendable (inout WriteTransaction) -> Outcome
    let fail: @Sendable (any Error) -> Void
}

/// The single writer: one connection on one dedicated thread, committing queued writes in groups.
///
/// SQLite allows one writer at a time, and with `synchronous=FULL` every COMMIT costs an fsync;
/// a writer that drains its whole queue into one transaction pays one fsync for many callers.
/// On PostgreSQL the same grouping pays one commit, and one turn at the shared journal head, for
/// many callers. Each body runs in its own SAVEPOINT so a body that throws undoes only itself.
final class Writer: Sendable {
    private struct Queue {
        var jobs: [WriteJob] = []
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let wakeup = Semaphore()
    private let thread = Mutex<pthread_t?>(nil)
    private let stats = Mutex(WriteStatistics())
    private let committedHead: Mutex<JournalHead>
    /// Moves on after every COMMIT (and every failed one), before any writer is resumed: cached
    /// read answers belong to one generation (``ReadCache``).
    private let commitGeneration = Atomic<UInt64>(1)
    /// Resumes each group's callers once it committed, off this thread.
    fileprivate let callers: CallerWakeups
    /// The most bodies put in one transaction, so one group's latency stays bounded.
    static let maximumGroupSize = 1024

    private init(head: JournalHead, callers: CallerWakeups) {
        committedHead = Mutex(head)
        self.callers = callers
    }

    /// Takes ownership of `sessions` and starts the writer thread.
    static func start(sessions: consuming sending WriterSessions, head: JournalHead, logger: Logger)
        throws(StoreError) -> Writer
    {
        guard let callers = CallerWakeups.start() else {
            throw StoreError(.unavailable, "cannot start the thread that resumes writers")
        }
        let writer = Writer(head: head, callers: callers)
        let loop = WriterLoop(writer: writer, sessions: sessions, head: head, logger: logger)
        // The connection is handed over whole: after this line only the writer thread touches it.
        let box = UnsafeTransfer(loop)
        guard let thread = Threads.start(named: "pmsgw-writer", { box.value.run() }) else {
            callers.close()
            throw StoreError(.unavailable, "cannot start the writer thread")
        }
        writer.thread.withLock { $0 = thread }
        return writer
    }

    var statistics: WriteStatistics { stats.withLock { $0 } }
    var journalHead: JournalHead { committedHead.withLock { $0 } }
    var generation: UInt64 { commitGeneration.load(ordering: .acquiring) }

    /// False once the store is closed; the caller then fails the job itself.
    func submit(_ job: WriteJob) -> Bool {
        let accepted = queue.withLock { queue in
            guard !queue.closed else { return false }
            queue.jobs.append(job)
            return true
        }
        if accepted { wakeup.signal() }
        return accepted
    }

    /// Lets queued writes finish, then stops the thread and closes the connection.
    func close() {
        queue.withLock { $0.closed = true }
        wakeup.signal()
        if let thread = thread.withLock({ thread in
            defer { thread = nil }
            return thread
        }) {
            Threads.join(thread)
        }
    }

    /// Blocks until there is work; nil once closed and drained.
    fileprivate func nextGroup() -> [WriteJob]? {
        while true {
            let taken: [WriteJob]? = queue.withLock { queue in
                if queue.jobs.isEmpty { return queue.closed ? nil : [] }
                let count = min(queue.jobs.count, Self.maximumGroupSize)
                let group = Array(queue.jobs.prefix(count))
                queue.jobs.removeFirst(count)
                return group
            }
            guard let taken else { return nil }
            if !taken.isEmpty { return taken }
            wakeup.wait()
        }
    }

    fileprivate func record(_ update: (inout WriteStatistics) -> Void) {
        stats.withLock { update(&$0) }
    }

    fileprivate func committed(head: JournalHead) {
        committedHead.withLock { $0 = head }
    }

    /// After a COMMIT returned, whether or not it succeeded: what readers cached before it may be
    /// out of date now.
    fileprivate func retireCachedReads() {
        commitGeneration.add(1, ordering: .releasing)
    }
}

/// Where the writer's session comes from.
enum WriterSessions {
    /// The one SQLite connection, open for the store's life, and the thread that checkpoints its
    /// log. Being the only writer of the file, the writer also knows the journal head without asking.
    case sqlite(Connection, Checkpointer)
    /// A PostgreSQL session, reopened after its server went away. Other daemons append to the same
    /// chain, so the head is read (and locked) in every transaction that appends.
    case postgresql(PostgresConnector, current: PostgresSession?)
}

/// Moves a non-Sendable value to another thread exactly once.
///
/// `@unchecked Sendable`: used only to hand a thread the state it will own (the writer's loop and
/// with it its connection, the checkpointer's connection); the creating thread drops its reference
/// right after, so the value is never used from two threads.
struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The writer thread's own state: the session and the journal head. Touched only by that thread.
private final class WriterLoop {
    let writer: Writer
    var sessions: WriterSessions
    let logger: Logger
    /// The committed head; it advances only after COMMIT returns.
    var head: JournalHead

    init(writer: Writer, sessions: WriterSessions, head: JournalHead, logger: Logger) {
        self.writer = writer
        self.sessions = sessions
        self.head = head
        self.logger = logger
    }

    /// The session for the next group; a PostgreSQL one is reopened if its server went away.
    private func session() throws(StoreError) -> any DatabaseSession {
        switch sessions {
        case .sqlite(let connection, _):
            return connection
        case .postgresql(let connector, let current):
            if let current, current.isUsable { return current }
            sessions = .postgresql(connector, current: nil)
            let session = try connector.open()
            sessions = .postgresql(connector, current: session)
            return session
        }
    }

    func run() {
        while let group = writer.nextGroup() {
            var pending = group[...]
            while !pending.isEmpty {
                runTransaction(&pending)
            }
        }
        if case .sqlite(let connection, let checkpointer) = sessions { checkpointer.detach(from: connection) }
        writer.callers.close()
    }

    /// The head as the writer may trust it without reading: SQLite's, whose only writer this is.
    private var knownHead: JournalHead? {
        if case .sqlite = sessions { head } else { nil }
    }

    private struct Done {
        let job: WriteJob
        let resume: @Sendable () -> Void
    }

    /// Runs jobs from `pending` in one transaction until they are all done, or SQLite abandons the
    /// transaction; the jobs not yet run then stay in `pending` for a fresh transaction.
    private func runTransaction(_ pending: inout ArraySlice<WriteJob>) {
        let started = ContinuousClock.now
        let connection: any DatabaseSession
        do {
            connection = try session()
        } catch {
            // The server is away; the connector has said so once, and says when it is back.
            fail(&pending, StoreError(.unavailable, "the database is unreachable: \(error.message)"))
            return
        }
        do {
            // A ROLLBACK that failed earlier (I/O error) can leave a transaction open; end it here,
            // or every later BEGIN would fail and the writer would never recover.
            if !connection.isAutocommit { try connection.execute("ROLLBACK", []) }
            try connection.send(connection.engine.beginWrite)
        } catch {
            logger.error("write transaction failed to begin", metadata: ["error": "\(error)"])
            fail(&pending, StoreError(.unavailable, "cannot start a write transaction: \(error.message)"))
            return
        }

        var transaction = WriteTransaction(session: connection)
        var done: [Done] = []
        var rolledBack = 0
        while let job = pending.popFirst() {
            let recorded = transaction.journalEntries.count
            do {
                try connection.send("SAVEPOINT write_job")
            } catch {
                abandon(connection, done, plus: job, error: error, phase: "savepoint")
                return
            }
            let outcome = job.perform(&transaction)
            // Full disk and I/O errors can make SQLite roll the whole transaction back on its own;
            // a body that issued COMMIT or ROLLBACK ends it too. Either way this group is gone.
            if connection.isAutocommit {
                let reason: any Error
                if case .threw(let error) = outcome {
                    reason = error
                } else {
                    reason = StoreError(.unavailable, "the write transaction ended inside a write body")
                }
                abandon(connection, done, plus: job, error: reason, phase: "body")
                return
            }
            switch outcome {
            case .succeeded(let resume):
                do {
                    // Not waited for: should it fail, the transaction is aborted, and the next
                    // statement or the COMMIT (which then reports a rollback) fails the group.
                    try connection.send("RELEASE write_job")
                } catch {
                    abandon(connection, done, plus: job, error: error, phase: "release")
                    return
                }
                done.append(Done(job: job, resume: resume))
            case .threw(let error):
                do {
                    try connection.execute("ROLLBACK TO write_job", [])
                    try connection.execute("RELEASE write_job", [])
                } catch let rollbackError {
                    abandon(connection, done, plus: job, error: rollbackError, phase: "rollback to savepoint")
                    return
                }
                transaction.keepJournalEntries(recorded)
                rolledBack += 1
                // Nothing of this body will be committed, so its caller need not wait for COMMIT.
                job.fail(error)
            }
        }

        let newHead: JournalHead?
        do {
            newHead = try JournalAppender.append(
                transaction.journalEntries, on: connection, knownHead: knownHead)
            try connection.execute("COMMIT", [])
            writer.retireCachedReads()
        } catch {
            writer.retireCachedReads()
            abandon(connection, done, plus: nil, error: error, phase: "commit")
            writer.record { $0.rolledBackWrites += rolledBack }
            return
        }

        if let newHead {
            head = newHead
            writer.committed(head: newHead)
        }
        let elapsed = ContinuousClock.now - started
        writer.record { stats in
            stats.commits += 1
            stats.committedWrites += done.count
            stats.rolledBackWrites += rolledBack
            stats.largestGroup = max(stats.largestGroup, done.count)
            stats.groupSizes.record(Int64(done.count))
            stats.groupNanoseconds.record(elapsed.nanoseconds)
        }
        writer.callers.resume(done.map(\.resume))
    }

    /// Fails every job of a group that never got a transaction.
    private func fail(_ pending: inout ArraySlice<WriteJob>, _ failure: StoreError) {
        for job in pending { job.fail(failure) }
        pending.removeAll()
        writer.record { $0.failedGroups += 1 }
    }

    /// Rolls the open transaction back and fails everything it held: the bodies that had succeeded
    /// get `.unavailable` (their changes are gone), `current` gets `error`.
    private func abandon(
        _ connection: any DatabaseSession, _ done: [Done], plus current: WriteJob?, error: any Error, phase: String
    ) {
        if !connection.isAutocommit {
            do {
                try connection.execute("ROLLBACK", [])
            } catch {
                logger.error("ROLLBACK failed", metadata: ["error": "\(error)"])
            }
        }
        // The in-memory head goes back with the data; `head` itself only ever moves after COMMIT.
        let storeError = (error as? StoreError)?.asWriteFailure
        let message = storeError?.message ?? "\(error)"
        if storeError?.code == .unavailable || current == nil {
            logger.error(
                "write transaction rolled back",
                metadata: [
                    "phase": "\(phase)", "error": "\(message)", "writes": "\(done.count + (current == nil ? 0 : 1))",
                ])
        }
        let failure = StoreError(.unavailable, "write not committed: \(message)", sqliteCode: storeError?.sqliteCode)
        for entry in done { entry.job.fail(failure) }
        current?.fail(storeError ?? error)
        writer.record { $0.failedGroups += 1 }
    }
}
