import Synchronization

/// Read connections, spread over slots so that reads on different threads share no lock.
///
/// A shared pool with one mutex and a few idle connections convoys once more threads read at
/// once than it keeps idle: every extra reader opens (and closes) a connection of its own, which
/// costs far more than the read. Here each thread has a home slot (a hash of its thread id), so
/// an event-loop thread keeps reading through the same connection, with its prepared statements,
/// page cache and reply cache warm, and two threads meet on one slot's lock only when their
/// hashes collide. A slot opens its connection on first use and keeps it until the store closes.
/// When the home slot is lent out the next few are tried, and only when all of those are busy is a
/// connection opened for one read.
final class ReadPool: Sendable {
    private let slots: [ReadSlot]
    private let openSession: @Sendable () throws(StoreError) -> any DatabaseSession
    private let closed = Atomic<Bool>(false)
    private let openedCount = Atomic<Int>(0)
    /// Slots tried, from the home slot on, before a read opens a connection of its own.
    private static let probes = 4

    /// `openFirst`: open one connection now, so a file that cannot be read fails at open time, not
    /// at the first request. A PostgreSQL store starts without one: its server may come later.
    init(
        slots count: Int, openFirst: Bool,
        openSession: @escaping @Sendable () throws(StoreError) -> any DatabaseSession
    ) throws(StoreError) {
        self.slots = (0..<max(1, count)).map { _ in ReadSlot() }
        self.openSession = openSession
        if openFirst { slots[0].park(try open()) }
    }

    /// Read connections on a SQLite file: shared-cache off, query-only.
    static func sqlite(path: String, slots: Int) throws(StoreError) -> ReadPool {
        try ReadPool(slots: slots, openFirst: true) { () throws(StoreError) -> any DatabaseSession in
            let connection = try Connection(path: path, create: false)
            // Rare cases still need a lock briefly (WAL recovery after a crash, a checkpoint
            // resetting the WAL); wait for those instead of failing the request.
            try connection.exec("PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;")
            return connection
        }
    }

    /// Connections opened since the pool was made; with every slot in use this stays at the
    /// slot count however many reads run.
    var opened: Int { openedCount.load(ordering: .relaxed) }

    private func open() throws(StoreError) -> Reader {
        openedCount.add(1, ordering: .relaxed)
        return Reader(session: try openSession())
    }

    /// Lends a reader to `body` on the caller's thread, and takes it back afterwards.
    func withReader<T>(_ body: (Reader) throws -> T) throws -> T {
        guard !closed.load(ordering: .acquiring) else { throw StoreError(.closed, "the store is closed") }
        let home = Threads.shard(of: slots.count)
        for probe in 0..<min(Self.probes, slots.count) {
            let slot = slots[(home + probe) % slots.count]
            guard let lent = slot.lend() else { continue }
            let reader: Reader
            do {
                // A session whose server went away is replaced, so the pool heals by itself.
                if let parked = lent.reader, parked.session.isUsable {
                    reader = parked
                } else {
                    reader = try open()
                }
            } catch {
                slot.giveBack(nil)
                throw error
            }
            defer { slot.giveBack(reader) }
            return try body(reader)
        }
        return try body(try open())
    }

    func close() {
        closed.store(true, ordering: .releasing)
        // Readers lent out right now are dropped (and closed) when they come back.
        for slot in slots { slot.close() }
    }
}

/// One slot of the pool: a reader parked here, lent to one caller, or not opened yet.
private final class ReadSlot: Sendable {
    private enum State {
        case unopened
        case idle(Reader)
        case lent
        case closed
    }

    /// What `lend` hands out: the slot's reader, or nil when the borrower is to open it.
    struct Loan {
        let reader: Reader?
    }

    private let state = Mutex(State.unopened)

    /// Nil when the slot is busy or closed.
    func lend() -> Loan? {
        state.withLock { state in
            switch state {
            case .idle(let reader):
                state = .lent
                return Loan(reader: reader)
            case .unopened:
                state = .lent
                return Loan(reader: nil)
            case .lent, .closed:
                return nil
            }
        }
    }

    /// Returns the loan; nil when opening the reader failed, so the next borrower tries again.
    func giveBack(_ reader: Reader?) {
        state.withLock { state in
            guard case .lent = state else { return }
            state = reader.map(State.idle) ?? .unopened
        }
    }

    func park(_ reader: Reader) {
        state.withLock { $0 = .idle(reader) }
    }

    func close() {
        state.withLock { $0 = .closed }
    }
}

/// A read connection and the replies cached beside it.
///
/// `@unchecked Sendable`: the session and the cache are not thread-safe, but a reader is only
/// ever in one place: parked in its slot (behind the slot's mutex) or in the hands of the one
/// caller that borrowed it. Two threads never use it at the same time.
final class Reader: @unchecked Sendable {
    let session: any DatabaseSession
    var cache = ReadCache()

    init(session: any DatabaseSession) {
        self.session = session
    }
}

/// Answers read from one committed state of the database, reused until the next commit.
///
/// Entries are tagged with the writer's commit generation read before their snapshot was taken,
/// and a lookup under a newer generation empties the cache first. So a cached answer is never
/// older than the last acknowledged write: the writer advances the generation after COMMIT and
/// before it resumes any writer, and an answer read while a commit was landing is filed under the
/// generation before it, which that commit retires.
struct ReadCache {
    private var generation: UInt64 = 0
    private var entries: [String: any Sendable] = [:]
    /// Bounds the memory of one reader's cache; the hot set (IDA's license checks, eSignet's client
    /// lookups) is far smaller.
    static let capacity = 512

    mutating func value(for key: String, generation: UInt64) -> (any Sendable)? {
        if generation > self.generation {
            entries.removeAll(keepingCapacity: true)
            self.generation = generation
            return nil
        }
        // A borrower that read the generation just before a commit landed finds it retired.
        return generation == self.generation ? entries[key] : nil
    }

    mutating func store(_ value: any Sendable, for key: String, generation: UInt64) {
        guard generation == self.generation else { return }
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
    }
}
