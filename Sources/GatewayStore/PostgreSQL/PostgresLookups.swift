import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// PostgreSQL's answers to the hot keyed lookups (``KeyedRead``): the keys of every caller that
/// arrives while a lookup is on the wire go to the server together, in one statement, on a
/// connection that no thread waits on.
///
/// One lookup per statement costs the server a round trip, a process wake-up and an executor
/// start each time, and a reader thread waiting on it costs the daemon two more thread switches;
/// sixteen keys in one `= ANY($1)` cost the server little more than one. Keys join a statement
/// only before it is sent, never one already on the wire, so a lookup still sees every write
/// acknowledged before it was asked, by this daemon or another (SPEC 9).
///
/// One statement is on the wire at a time, on one connection; the keys that arrive meanwhile wait
/// for the next. Measured on 2 cores (`client.get` 16x1): two connections, each taking the keys
/// waiting when it was free, halved the keys per statement (2.7 against 4.7) and answered 25%
/// fewer lookups, the server spending its CPU on statements rather than keys; a connection per
/// event loop, so that no thread hands an answer to another, answered 20% fewer for the same
/// reason, the daemon's CPU unchanged. Under more load a statement takes up to ``maxBatch`` keys.
/// On 16 cores a connection per event loop answered as many lookups as the one shared (47,672
/// against 46,405 a second, one daemon) for twice the daemon's CPU and ten times the server's:
/// there, 16 callers at pipeline 1 wait on the round trip, whatever carries it.
final class PostgresLookups: Sendable {
    /// How this connection's statements are planned, set once when it connects.
    ///
    /// A statement prepared for `= ANY($1)` is planned for an array of a guessed size, and
    /// PostgreSQL then finds that generic plan dearer than planning each call for the array it
    /// gets: it plans every call, most of the server's CPU for a lookup. A forced generic plan,
    /// though, is made once, from the statistics of that moment: a daemon whose first lookup came
    /// while the table held a few rows kept a sequential scan as it grew (12 ms a lookup with two
    /// daemons, measured). A lookup finds a row or none per key through unique indexes, so index
    /// scans in nested loops are its plan whatever the statistics say; the settings hold it to
    /// that shape.
    /// (One statement: the extended protocol, postgres-nio's only one, takes one per message.)
    static let sessionSettings = """
        SELECT set_config('plan_cache_mode', 'force_generic_plan', false), set_config('enable_seqscan', 'off', false),
               set_config('enable_hashjoin', 'off', false), set_config('enable_mergejoin', 'off', false)
        """

    /// Keys in one statement at most.
    static let maxBatch = 64

    private struct Waiter: Sendable {
        let sql: String
        let key: String
        let continuation: CheckedContinuation<Row?, any Error>

        func resume(_ result: Result<Row?, StoreError>) {
            continuation.resume(with: result.mapError { $0 })
        }
    }

    /// The connection and what it has prepared: what a batch is sent on.
    private struct Line {
        var connection: PostgresConnection?
        /// The batched statements prepared on `connection`, by SQL text.
        var statements: [String: PreparedQuery] = [:]
    }

    private struct State {
        var waiting = CircularBuffer<Waiter>()
        var line = Line()
        /// A statement is on the wire; the keys arriving meanwhile wait for the next.
        var busy = false
        var closed = false

        /// The next batch, and the line as it is now, if nothing is on the wire and keys wait.
        mutating func nextBatch() -> (batch: [Waiter], line: Line)? {
            guard !busy, !waiting.isEmpty, !closed else { return nil }
            busy = true
            var batch: [Waiter] = []
            batch.reserveCapacity(min(waiting.count, PostgresLookups.maxBatch))
            while batch.count < PostgresLookups.maxBatch, let next = waiting.popFirst() { batch.append(next) }
            return (batch, line)
        }
    }

    private let connector: PostgresConnector
    private let state = Mutex(State())
    /// Lookups asked and statements sent since open: how many keys a statement carried.
    private let counts = Mutex((lookups: 0, statements: 0))
    /// The last answer decoded from each key's row, with that row: a row that comes back the same
    /// is not decoded again (for `client.get`, a JSON document parsed per call).
    private let decoded = Mutex<[String: (row: [SQLValue], value: any Sendable)]>([:])
    /// Keys whose decoded answer is kept (a `client.get` answer is a few KiB).
    static let decodedLimit = 1024

    private let logger: Logger

    init(connector: PostgresConnector, logger: Logger) {
        self.connector = connector
        self.logger = PostgresSession.libraryLogger(logger)
    }

    /// Whether lookups can go to the server without a schema migration first (see
    /// ``PostgresConnector/isPrepared``).
    var isReady: Bool { connector.isPrepared }

    /// The row of `key`, or nil.
    func row(_ read: KeyedRead, key: String) async throws -> Row? {
        try await withCheckedThrowingContinuation { continuation in
            let waiter = Waiter(sql: read.batched, key: key, continuation: continuation)
            let accepted = state.withLock { state -> (batch: [Waiter], line: Line)?? in
                guard !state.closed else { return nil }
                state.waiting.append(waiter)
                return .some(state.nextBatch())
            }
            guard let accepted else {
                waiter.resume(.failure(StoreError(.closed, "the store is closed")))
                return
            }
            if let next = accepted { send(next.batch, on: next.line) }
        }
    }

    /// `decode(row)`, or the value it gave for the same row before. Only a row equal in every
    /// column reuses a value, so an answer is never older than the row just read.
    func decode<T: Sendable>(_ row: Row?, cachedAs key: String, _ decode: (Row?) throws -> T) throws -> T {
        guard let row else { return try decode(nil) }
        if let known = decoded.withLock({ $0[key] }), known.row == row.values, let value = known.value as? T {
            return value
        }
        let value = try decode(row)
        decoded.withLock { entries in
            if entries.count >= Self.decodedLimit { entries.removeAll(keepingCapacity: true) }
            entries[key] = (row.values, value)
        }
        return value
    }

    var statistics: (lookups: Int, statements: Int) { counts.withLock { $0 } }

    /// Fails whatever waits and closes the connections.
    func close() {
        let (waiting, connection) = state.withLock { state in
            state.closed = true
            defer { state.waiting.removeAll() }
            return (Array(state.waiting), state.line.connection)
        }
        for waiter in waiting { waiter.resume(.failure(StoreError(.closed, "the store is closed"))) }
        if let connection { Self.close(connection) }
    }

    private func send(_ batch: [Waiter], on line: Line) {
        counts.withLock { counts in
            counts.lookups += batch.count
            counts.statements += Set(batch.map(\.sql)).count
        }
        let connected: EventLoopFuture<PostgresConnection>
        if let connection = line.connection, !connection.isClosed {
            connected = connection.eventLoop.makeSucceededFuture(connection)
        } else {
            connected = connector.connect(on: MultiThreadedEventLoopGroup.singleton.any()).flatMap { connection in
                connection.query(PostgresQuery(unsafeSQL: Self.sessionSettings), logger: self.logger)
                    .map { _ in connection }
            }
        }
        connected.whenComplete { result in
            switch result {
            case .success(let connection):
                let closed = self.state.withLock { state in
                    if !state.closed, state.line.connection !== connection {
                        state.line = Line(connection: connection)
                    }
                    return state.closed
                }
                guard !closed else {
                    // Connected while the store closed: close() could not see this connection.
                    Self.close(connection)
                    for waiter in batch { waiter.resume(.failure(StoreError(.closed, "the store is closed"))) }
                    return
                }
                let statements = line.connection === connection ? line.statements : [:]
                self.run(batch, on: connection, statements: statements)
            case .failure(let error):
                let storeError = PostgresSession.storeError(error, context: "lookup")
                for waiter in batch { waiter.resume(.failure(storeError)) }
                self.finished(dropping: nil)
            }
        }
    }

    /// One statement per distinct lookup in the batch (usually one), all queued on the connection
    /// at once; the next batch goes once every one has answered.
    private func run(_ batch: [Waiter], on connection: PostgresConnection, statements: [String: PreparedQuery]) {
        var groups: [String: [Waiter]] = [:]
        for waiter in batch { groups[waiter.sql, default: []].append(waiter) }
        let answered = groups.map { sql, waiters in
            statement(sql, known: statements[sql], on: connection).flatMap { statement in
                let keys = Set(waiters.map(\.key)).map { PostgresData(string: $0) }
                return statement.execute([PostgresData(array: keys, elementType: .text)])
            }.map { rows in
                Self.answer(waiters, from: rows)
            }.flatMapErrorThrowing { error in
                let storeError = PostgresSession.storeError(error, context: "lookup")
                for waiter in waiters { waiter.resume(.failure(storeError)) }
                throw storeError
            }
        }
        // A server that stops answering must not hold the callers forever: the connection is
        // closed, which fails what is on it.
        let deadline = connection.eventLoop.scheduleTask(in: TimeAmount(PostgresSession.statementTimeout)) {
            Self.close(connection)
        }
        EventLoopFuture.whenAllComplete(answered, on: connection.eventLoop).whenComplete { _ in
            deadline.cancel()
            self.finished(dropping: connection.isClosed ? connection : nil)
        }
    }

    /// The prepared statement for `sql` on `connection`, preparing it the first time.
    private func statement(_ sql: String, known: PreparedQuery?, on connection: PostgresConnection)
        -> EventLoopFuture<PreparedQuery>
    {
        if let known { return connection.eventLoop.makeSucceededFuture(known) }
        return connection.prepare(query: sql).map { prepared in
            self.state.withLock { state in
                if state.line.connection === connection { state.line.statements[sql] = prepared }
            }
            return prepared
        }
    }

    /// Each waiter gets the row of its key: the row without its leading key column.
    private static func answer(_ waiters: [Waiter], from rows: [PostgresRow]) {
        let decoded: [Row]
        do {
            decoded = try PostgresSession.rows(rows)
        } catch {
            for waiter in waiters { waiter.resume(.failure(error)) }
            return
        }
        var found: [String: Row] = [:]
        if let first = decoded.first {
            let columns = ColumnNames(Array(first.columnNames.dropFirst()))
            for row in decoded {
                guard case .text(let key) = row[0], found[key] == nil else { continue }
                found[key] = Row(values: Array(row.values.dropFirst()), columns: columns)
            }
        }
        for waiter in waiters { waiter.resume(.success(found[waiter.key])) }
    }

    /// The statement on the wire has answered: the batch that gathered meanwhile goes, if any.
    private func finished(dropping broken: PostgresConnection?) {
        let next = state.withLock { state in
            if let broken, state.line.connection === broken { state.line = Line() }
            state.busy = false
            return state.nextBatch()
        }
        if let broken { Self.close(broken) }
        if let next { send(next.batch, on: next.line) }
    }

    private static func close(_ connection: PostgresConnection) {
        // postgres-nio requires a connection be closed before it is released.
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}
