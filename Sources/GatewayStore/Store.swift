import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's database: one writer with group commit, read connections kept per thread, the
/// journal, the outbox. On a SQLite file (the default) or a PostgreSQL database that several
/// daemons share (SPEC 9); services and delivery see the same API and the same SQL on both.
///
/// Every mutation goes through `write`, which returns only once its transaction is durable
/// (SQLite: WAL, `synchronous=FULL`; PostgreSQL: its COMMIT). Reads run on their own connections
/// from a snapshot, so a slow commit never delays a read and a long read never delays a write.
package final class Store: Sendable {
    /// The SQLite file's path, or the PostgreSQL URL (never with a password).
    package let path: String
    package let engine: StoreEngine
    let writer: Writer
    let readers: ReadPool
    /// PostgreSQL's batched keyed lookups; nil on SQLite, whose lookups answer on the caller's thread.
    let lookups: PostgresLookups?
    let logger: Logger
    private let closed = Mutex(false)

    private init(
        path: String, engine: StoreEngine, writer: Writer, readers: ReadPool, lookups: PostgresLookups? = nil,
        logger: Logger
    ) {
        self.path = path
        self.engine = engine
        self.writer = writer
        self.readers = readers
        self.lookups = lookups
        self.logger = logger
    }

    deinit {
        close()
    }

    /// Opens (creating if needed) the database and brings its schema up to date.
    ///
    /// `migrations` must hold the store's own steps in their order (`Migration.storeSteps`); a list
    /// may stop early, as an older build's did.
    /// A database whose `user_version` is newer than the last step is refused with `.newerSchema`
    /// and left untouched: an older build cannot know what the newer schema means.
    ///
    /// `writerMapBytes` of the file are memory-mapped for the writer's reads (`PRAGMA mmap_size`;
    /// 0: none). Under `client.create` the writer spends most of its time descending into index
    /// pages it must otherwise copy in with `pread`; mapped, it answered 6–19% more creates on 16
    /// cores (four comparisons in two machine starts), and on 2 cores spent less time in the
    /// kernel for the same rate. Read connections stay unmapped, so a daemon's resident memory
    /// grows only by the pages the writer touched.
    package static func open(
        path: String,
        migrations: [Migration] = Migration.storeMigrations,
        readConnections: Int = Store.defaultReadConnections,
        writerMapBytes: Int = 0,
        logger: Logger
    ) throws(StoreError) -> Store {
        guard Migration.holdsStoreSteps(migrations) else {
            throw StoreError(.sql, "migrations must hold the store's own steps (Migration.storeSteps) in order")
        }

        let connection = try Connection(path: path, bufferedLog: true)
        // WAL lets readers keep their snapshot while the writer appends; FULL fsyncs the WAL at every
        // COMMIT, which is what makes an acknowledged mutation survive a power cut.
        let mode = try connection.text(pragma: "journal_mode = WAL")
        guard mode == "wal" else {
            throw StoreError(.unavailable, "cannot switch \(path) to WAL mode (got \(mode))")
        }
        try connection.exec(
            """
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = 5000;
            """)
        // No quick_check here: it reads every page (0.7 s for 100,000 clients) before the socket
        // exists. A file that is not a database already failed above (SQLITE_NOTADB → .corrupt);
        // damaged pages are reported by SQLite when they are read, and `journal.verify` audits.
        try Migrator.run(migrations, on: connection, logger: logger)
        try connection.exec("PRAGMA mmap_size = \(max(0, writerMapBytes))")

        let head: JournalHead
        if let row = try connection.query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").first {
            head = JournalHead(seq: try row.int(0), hash: try row.string(1))
        } else {
            head = .genesis
        }

        let readers = try ReadPool.sqlite(path: path, slots: readConnections)
        let checkpointer = try Checkpointer.start(path: path, writer: connection, logger: logger)
        let writer: Writer
        do {
            writer = try Writer.start(sessions: .sqlite(connection, checkpointer), head: head, logger: logger)
        } catch {
            checkpointer.stop()
            throw error
        }
        logger.info(
            "store opened",
            metadata: ["path": "\(path)", "schema": "\(migrations.count)", "journalHead": "\(head.seq)"])
        return Store(path: path, engine: .sqlite, writer: writer, readers: readers, logger: logger)
    }

    /// Opens a PostgreSQL database that other daemons may share, bringing its schema up to date.
    ///
    /// A server that cannot be reached is not an error here: the store opens, every call answers
    /// `.unavailable` meanwhile, and the first connection that succeeds migrates the schema. A
    /// refused login or a missing database is `.configuration`, and a schema newer than `migrations`
    /// is `.newerSchema`: neither heals by waiting.
    package static func open(
        postgres location: PostgresLocation,
        password: String?,
        migrations: [Migration] = Migration.postgresStoreMigrations,
        readConnections: Int = Store.defaultReadConnections,
        logger: Logger
    ) throws(StoreError) -> Store {
        let connector = PostgresConnector(location: location, password: password, logger: logger) {
            session throws(StoreError) in
            try PostgresMigrator.run(migrations, on: session, logger: logger)
            // Each server process that enqueued kept its own count shard; fold the old ones, so
            // the table stays a few rows however many daemons have come and gone.
            try session.runScript(PostgresSchema.compactOutboxCounts)
        }
        var first: PostgresSession?
        do {
            first = try connector.open(reportingFailure: false)
        } catch  where error.code == .unavailable {
            logger.warning(
                "PostgreSQL unreachable at start; serving -32011 until it answers",
                metadata: ["database": "\(location)", "error": "\(error.message)"])
        }
        let readers = try ReadPool(slots: readConnections, openFirst: false) {
            () throws(StoreError) -> any DatabaseSession in try connector.open()
        }
        let writer = try Writer.start(
            sessions: .postgresql(connector, current: first), head: .genesis, logger: logger)
        logger.info("store opened", metadata: ["database": "\(location)", "schema": "\(migrations.count)"])
        return Store(
            path: location.description, engine: .postgresql, writer: writer, readers: readers,
            lookups: PostgresLookups(connector: connector, logger: logger), logger: logger)
    }

    /// Queues `body` for the single writer and returns its result once the transaction holding it
    /// is durable.
    ///
    /// The writer drains everything queued into one `BEGIN IMMEDIATE … COMMIT`, each body in its own
    /// SAVEPOINT, and resumes the callers only after COMMIT returned. A body that throws rolls back
    /// only itself, and its caller gets that error unchanged (right away: nothing of it waits on the
    /// commit). If the COMMIT fails, nothing of the group is visible and every caller whose body had
    /// succeeded gets `.unavailable`; the writer keeps running and later writes can succeed.
    ///
    /// Not cancellable: once queued, a write commits or fails on its own, because a caller that gave
    /// up early could not tell which of the two happened.
    ///
    /// A body runs on the writer's thread and holds up everyone queued behind it: keep it to SQL and
    /// in-memory work.
    @discardableResult
    package func write<T: Sendable>(_ body: @escaping @Sendable (inout WriteTransaction) throws -> T) async throws -> T
    {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = WriteJob(
                perform: { transaction in
                    do {
                        let value = try body(&transaction)
                        return .succeeded(resume: { continuation.resume(returning: value) })
                    } catch {
                        return .threw(error)
                    }
                },
                fail: { error in continuation.resume(throwing: error) })
            if !writer.submit(job) {
                continuation.resume(throwing: StoreError(.closed, "the store is closed"))
            }
        }
    }

    /// Read connections kept open: one for each thread that may read at once (the event loops
    /// answer reads themselves, and the cooperative pool runs the deferred methods), so no read
    /// waits for a connection or opens one.
    package static var defaultReadConnections: Int {
        max(4, 2 * sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Runs `body` on a read connection inside one read transaction (one consistent snapshot), on
    /// the caller's thread. It never waits for the writer.
    package func read<T>(_ body: (ReadConnection) throws -> T) throws -> T {
        try readers.withReader { reader in try Self.inTransaction(reader.session, body) }
    }

    /// Like ``read(_:)``, for the hot lookups (`client.get`, `license.validate`, `system.health`):
    /// the answer is kept beside the read connection and served again, without touching SQLite,
    /// until the next commit. `key` must name everything `body` depends on besides the database.
    ///
    /// An acknowledged write is always seen: the writer moves the generation on after its COMMIT
    /// and before it resumes the writers, and cached answers belong to one generation
    /// (``ReadCache``). On PostgreSQL nothing is cached and `body` runs without a transaction of
    /// its own, so its statements may see different commits: keep it to one statement, or to
    /// answers that tolerate that (health's counts).
    package func read<T: Sendable>(cachedAs key: String, _ body: (ReadConnection) throws -> T) throws -> T {
        // Other daemons commit to a shared database without telling this one: nothing is cached.
        // Nor is a transaction opened: each statement of a hot lookup (one, for all but health)
        // sees the newest commit, and BEGIN and COMMIT would be two statements more per lookup.
        guard engine == .sqlite else {
            return try readers.withReader { reader in try body(ReadConnection(session: reader.session)) }
        }
        // Read before the snapshot is taken, so the answer is filed under a generation no newer
        // than the data it was read from.
        let generation = writer.generation
        return try readers.withReader { reader in
            // Unwrapped before the cast: a miss (nil) cast to an Optional `T` would pass for a hit.
            if let cached = reader.cache.value(for: key, generation: generation), let hit = cached as? T { return hit }
            let value = try Self.inTransaction(reader.session, body)
            reader.cache.store(value, for: key, generation: generation)
            return value
        }
    }

    /// A hot lookup by key (`client.get`, `license.validate`), answered as ``read(cachedAs:_:)``
    /// answers: `decode` gets the key's row, or nil.
    package func read<T: Sendable>(
        _ read: KeyedRead, key: String, cachedAs cacheKey: String, _ decode: (Row?) throws -> T
    ) throws -> T {
        try self.read(cachedAs: cacheKey) { connection in
            try decode(try connection.queryFirst(read.single, [SQLValue(key)]))
        }
    }

    /// ``read(_:key:cachedAs:_:)`` for a caller that can wait without holding a thread. On
    /// PostgreSQL the key goes to the server with those of every other lookup waiting meanwhile
    /// (``PostgresLookups``); on SQLite it is answered at once, on the caller's thread.
    package func lookup<T: Sendable>(
        _ read: KeyedRead, key: String, cachedAs cacheKey: String, _ decode: @escaping @Sendable (Row?) throws -> T
    ) async throws -> T {
        guard let lookups else { return try self.read(read, key: key, cachedAs: cacheKey, decode) }
        guard lookups.isReady else {
            // No session has reached the server yet: this one connects, and migrates, on a thread.
            return try await Threads.run { try self.read(read, key: key, cachedAs: cacheKey, decode) }
        }
        return try lookups.decode(try await lookups.row(read, key: key), cachedAs: cacheKey, decode)
    }

    private static func inTransaction<T>(_ session: any DatabaseSession, _ body: (ReadConnection) throws -> T)
        throws -> T
    {
        // Neither end waits: a server session's BEGIN travels ahead of the first query, and a
        // read-only COMMIT cannot fail in a way the caller could act on.
        try session.send(session.engine.beginRead)
        do {
            let result = try body(ReadConnection(session: session))
            try session.send("COMMIT")
            return result
        } catch {
            if !session.isAutocommit { _ = try? session.send("ROLLBACK") }
            throw error
        }
    }

    /// Like ``read(_:)``, but on a thread of its own: for long scans (`journal.verify` over a
    /// million entries) that would otherwise hold one of the few cooperative threads for seconds.
    package func readOnOwnThread<T: Sendable>(_ body: @escaping @Sendable (ReadConnection) throws -> T) async throws
        -> T
    {
        try await Threads.run { try self.read(body) }
    }

    /// Read connections opened since the store was (read slots, plus one per read that found its
    /// few candidate slots busy).
    package var readConnectionsOpened: Int { readers.opened }

    /// Group-commit counters since open.
    package var statistics: WriteStatistics { writer.statistics }

    /// PostgreSQL's keyed lookups since open, and the statements that carried them; nil on SQLite.
    package var lookupStatistics: (lookups: Int, statements: Int)? { lookups?.statistics }

    /// The newest journal entry this store's writer committed, from its memory (no query). On
    /// PostgreSQL other daemons append too: read `journalHead()` for the database's.
    package var journalHead: JournalHead { writer.journalHead }

    /// Finishes the writes already queued, then closes every connection. Later calls fail `.closed`.
    package func close() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        writer.close()
        readers.close()
        lookups?.close()
        logger.info("store closed", metadata: ["path": "\(path)"])
    }
}
