import Synchronization

/// Read connections, each used by one caller at a time.
///
/// In WAL mode a reader works from its own snapshot and never waits for the writer, so reads are
/// synchronous on the caller's thread. When every pooled connection is busy a new one is opened
/// rather than making the caller wait; only `idleLimit` are kept afterwards.
final class ReadPool: Sendable {
    private struct State {
        var idle: [PooledConnection] = []
        var closed = false
    }

    private let path: String
    private let idleLimit: Int
    private let state = Mutex(State())

    init(path: String, idleLimit: Int) throws(StoreError) {
        self.path = path
        self.idleLimit = max(1, idleLimit)
        // Open one now so a path that cannot be read fails at open time, not at the first request.
        let first = try Self.open(path)
        state.withLock { $0.idle.append(first) }
    }

    private static func open(_ path: String) throws(StoreError) -> PooledConnection {
        let connection = try Connection(path: path, create: false)
        // Rare cases still need a lock briefly (WAL recovery after a crash, a checkpoint resetting
        // the WAL); wait for those instead of failing the request.
        try connection.exec("PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;")
        return PooledConnection(connection: connection)
    }

    /// Lends a connection to `body`, returning it to the pool afterwards.
    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let lent: PooledConnection? = try state.withLock { state throws(StoreError) in
            guard !state.closed else { throw StoreError(.closed, "the store is closed") }
            return state.idle.popLast()
        }
        let pooled = try lent ?? Self.open(path)
        defer {
            state.withLock { state in
                if !state.closed && state.idle.count < idleLimit { state.idle.append(pooled) }
            }
        }
        return try body(pooled.connection)
    }

    func close() {
        // Connections lent out right now are dropped (and closed) when they come back.
        state.withLock { state in
            state.closed = true
            state.idle.removeAll()
        }
    }
}

/// A connection parked in the pool.
///
/// `@unchecked Sendable`: `Connection` is not thread-safe, but a pooled connection is only ever in
/// one place: the pool's mutex-protected idle list, or the hands of the single caller that took it
/// out. Two threads never use it at the same time.
private struct PooledConnection: @unchecked Sendable {
    let connection: Connection
}
