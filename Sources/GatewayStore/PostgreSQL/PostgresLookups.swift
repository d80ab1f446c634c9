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
final class PostgresLookups: Sendable {
    /// Statements on the wire at once, each on a connection of its own: while the server answers
    /// one, the next gathers its keys. One, measured on 2 cores (`client.get` 16x1): two lanes
    /// halved the keys per statement (2.7 against 4.7) and answered 25% fewer lookups, the server
    /// spending its CPU on statements rather than keys. Under more load a statement takes up to
    /// ``maxBatch`` keys, so one lane keeps up.
    static let lanes = 1
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

    private struct Lane {
        var connection: PostgresConnection?
        /// The batched statements prepared on `connection`, by SQL text.
        var statements: [String: PreparedQuery] = [:]
        var busy = false
    }

    /// A batch, the lane that sends it, and what that lane held when it was taken.
    private struct Dispatch {
        let lane: Int
        let batch: [Waiter]
        let current: Lane
    }

    private struct State {
        var waiting = CircularBuffer<Waiter>()
        var lanes = Array(repeating: Lane(), count: PostgresLookups.lanes)
        var closed = false

        /// Takes an idle lane and the next batch for it, if there are both.
        mutating func nextBatch(lane preferred: Int? = nil) -> Dispatch? {
            guard !waiting.isEmpty, !closed,
                let lane = preferred ?? lanes.firstIndex(where: { !$0.busy })
            else { return nil }
            lanes[lane].busy = true
            var batch: [Waiter] = []
            batch.reserveCapacity(min(waiting.count, PostgresLookups.maxBatch))
            while batch.count < PostgresLookups.maxBatch, let next = waiting.popFirst() { batch.append(next) }
            return Dispatch(lane: lane, batch: batch, current: lanes[lane])
        }
    }

    private let connector: PostgresConnector
    private let state = Mutex(State())
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
            let accepted = state.withLock { state -> Dispatch?? in
                guard !state.closed else { return nil }
                state.waiting.append(waiter)
                return .some(state.nextBatch())
            }
            guard let accepted else {
                waiter.resume(.failure(StoreError(.closed, "the store is closed")))
                return
            }
            if let next = accepted { send(next.batch, lane: next.lane, on: next.current) }
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

    /// Fails whatever waits and closes the connections.
    func close() {
        let (waiting, connections) = state.withLock { state in
            state.closed = true
            defer { state.waiting.removeAll() }
            return (Array(state.waiting), state.lanes.compactMap(\.connection))
        }
        for waiter in waiting { waiter.resume(.failure(StoreError(.closed, "the store is closed"))) }
        for connection in connections { Self.close(connection) }
    }

    private func send(_ batch: [Waiter], lane: Int, on current: Lane) {
        let connected: EventLoopFuture<PostgresConnection>
        if let connection = current.connection, !connection.isClosed {
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
                    if !state.closed, state.lanes[lane].connection !== connection {
                        state.lanes[lane].connection = connection
                        state.lanes[lane].statements = [:]
                    }
                    return state.closed
                }
                guard !closed else {
                    // Connected while the store closed: close() could not see this connection.
                    Self.close(connection)
                    for waiter in batch { waiter.resume(.failure(StoreError(.closed, "the store is closed"))) }
                    return
                }
                let statements = current.connection === connection ? current.statements : [:]
                self.run(batch, lane: lane, on: connection, statements: statements)
            case .failure(let error):
                let storeError = PostgresSession.storeError(error, context: "lookup")
                for waiter in batch { waiter.resume(.failure(storeError)) }
                self.finished(lane: lane, dropping: nil)
            }
        }
    }

    /// One statement per distinct lookup in the batch (usually one), all queued on the connection
    /// at once; the lane is free again once every one has answered.
    private func run(
        _ batch: [Waiter], lane: Int, on connection: PostgresConnection, statements: [String: PreparedQuery]
    ) {
        var groups: [String: [Waiter]] = [:]
        for waiter in batch { groups[waiter.sql, default: []].append(waiter) }
        let answered = groups.map { sql, waiters in
            statement(sql, known: statements[sql], lane: lane, on: connection).flatMap { statement in
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
            self.finished(lane: lane, dropping: connection.isClosed ? connection : nil)
        }
    }

    /// The prepared statement for `sql` on this lane's connection, preparing it the first time.
    private func statement(_ sql: String, known: PreparedQuery?, lane: Int, on connection: PostgresConnection)
        -> EventLoopFuture<PreparedQuery>
    {
        if let known { return connection.eventLoop.makeSucceededFuture(known) }
        return connection.prepare(query: sql).map { prepared in
            self.state.withLock { state in
                if state.lanes[lane].connection === connection { state.lanes[lane].statements[sql] = prepared }
            }
            return prepared
        }
    }

    /// Each waiter gets the row of its key: the row without its leading key column.
    private static func answer(_ waiters: [Waiter], from rows: [PostgresRow]) {
        var found: [String: Row] = [:]
        if let first = rows.first {
            let columns = ColumnNames(first.dropFirst().map(\.columnName))
            for row in rows {
                do {
                    var cells = row.makeIterator()
                    guard let keyCell = cells.next(), case .text(let key) = try PostgresSession.value(of: keyCell),
                        found[key] == nil
                    else { continue }
                    var values: [SQLValue] = []
                    values.reserveCapacity(columns.names.count)
                    while let cell = cells.next() { values.append(try PostgresSession.value(of: cell)) }
                    found[key] = Row(values: values, columns: columns)
                } catch {
                    for waiter in waiters { waiter.resume(.failure(error)) }
                    return
                }
            }
        }
        for waiter in waiters { waiter.resume(.success(found[waiter.key])) }
    }

    /// The lane is free: it takes the next batch that gathered meanwhile, if any.
    private func finished(lane: Int, dropping broken: PostgresConnection?) {
        let next = state.withLock { state -> Dispatch? in
            if let broken, state.lanes[lane].connection === broken {
                state.lanes[lane].connection = nil
                state.lanes[lane].statements = [:]
            }
            state.lanes[lane].busy = false
            return state.nextBatch(lane: lane)
        }
        if let broken { Self.close(broken) }
        if let next { send(next.batch, lane: next.lane, on: next.current) }
    }

    private static func close(_ connection: PostgresConnection) {
        // postgres-nio requires a connection be closed before it is released.
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}
