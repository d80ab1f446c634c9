import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// One PostgreSQL connection used the way the store uses a SQLite connection: one statement at a
/// time, the calling thread waiting for the answer.
///
/// The store's writer and readers are plain threads whose bodies are synchronous SQL, so the
/// session waits on postgres-nio's futures rather than making every body async. It must never wait
/// on an event loop (its own channel might be served by that very loop); it refuses to.
final class PostgresSession: DatabaseSession {
    private let connection: PostgresConnection
    private let logger: Logger
    /// `?`/`?NNN` rewritten to `$N`, by SQL text: a program has only so many statements.
    private var translated: [String: String] = [:]
    /// Queries prepared on this session, by SQL text: the server parses and plans each once rather
    /// than at every call (for a lookup that joins, planning was most of the server's time).
    private var prepared: [String: PreparedQuery] = [:]
    private(set) var isAutocommit = true
    private var broken = false

    /// The longest one statement may take before the session gives up on its server: a statement
    /// that waits on another daemon's row lock finishes in milliseconds, and a server that stopped
    /// answering must not hold a request forever.
    static let statementTimeout = Duration.seconds(30)

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// postgres-nio's own debug and trace lines narrate its protocol state machine; the daemon's
    /// log keeps its notices and errors only.
    static func libraryLogger(_ logger: Logger) -> Logger {
        var logger = logger
        if logger.logLevel < .notice { logger.logLevel = .notice }
        return logger
    }

    deinit {
        // postgres-nio requires a connection be closed before it is released; the closure keeps
        // it alive until the close is done.
        let connection = connection
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    var engine: StoreEngine { .postgresql }
    var isUsable: Bool { !broken && !connection.isClosed }

    /// Connects and logs in. A refused login or a missing database is `.configuration`; a server
    /// that cannot be reached is `.unavailable`.
    static func connect(
        to location: PostgresLocation, password: String?, eventLoop: any EventLoop, logger: Logger
    ) throws(StoreError) -> PostgresSession {
        let future = try connection(to: location, password: password, eventLoop: eventLoop, logger: logger)
        do {
            return PostgresSession(
                connection: try wait(for: future, timeout: .seconds(10)), logger: libraryLogger(logger))
        } catch {
            throw Self.storeError(error, context: "connect")
        }
    }

    /// A connection being opened, for callers that must not wait (the lookups, on an event loop).
    /// Only a TLS set-up that cannot work throws here; the rest fails the future.
    static func connection(
        to location: PostgresLocation, password: String?, eventLoop: any EventLoop, logger: Logger
    ) throws(StoreError) -> EventLoopFuture<PostgresConnection> {
        var configuration: PostgresConnection.Configuration
        switch location.endpoint {
        case .unixSocket(let directory, let port):
            configuration = .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: location.user, password: password,
                database: location.database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            do {
                tls = try Self.tls(location.tls)
            } catch {
                throw StoreError(.configuration, "cannot set up TLS for \(location): \(error)")
            }
            configuration = .init(
                host: host, port: port, username: location.user, password: password, database: location.database,
                tls: tls)
        }
        configuration.options.connectTimeout = .seconds(5)
        return PostgresConnection.connect(
            on: eventLoop, configuration: configuration, id: 0, logger: libraryLogger(logger))
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable:
            return .disable
        case .prefer, .require:
            // libpq's `require` encrypts without checking who answers; `verify-full` checks both
            // the chain and the host name.
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            return mode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    @discardableResult
    func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Int {
        let result = try run(sql, bindings)
        return result.metadata.rows ?? 0
    }

    func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [Row] {
        let found = PostgresScript.isPreparable(sql) ? try runPrepared(sql, bindings) : try run(sql, bindings).rows
        return try Self.rows(found)
    }

    /// postgres-nio's rows as the store's, every cell read as one of SQLite's storage classes.
    static func rows(_ found: [PostgresRow]) throws(StoreError) -> [Row] {
        guard let first = found.first else { return [] }
        let columns = ColumnNames(first.map(\.columnName))
        var rows: [Row] = []
        rows.reserveCapacity(found.count)
        for row in found {
            var values: [SQLValue] = []
            values.reserveCapacity(columns.names.count)
            for cell in row { values.append(try value(of: cell)) }
            rows.append(Row(values: values, columns: columns))
        }
        return rows
    }

    func queryFirst(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Row? {
        try query(sql, bindings).first
    }

    func send(_ sql: String) throws(StoreError) {
        guard isUsable else {
            isAutocommit = true
            throw StoreError(.unavailable, "the connection to PostgreSQL was lost")
        }
        // Its failure is the connection's: the next statement, queued behind it, reports it.
        connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).whenComplete { _ in }
        trackTransaction(sql, command: String(sql.prefix { $0 != " " }))
    }

    /// Runs a script's statements one after another (a migration step); no bindings. The extended
    /// protocol, postgres-nio's only one, takes one statement per message.
    func runScript(_ sql: String) throws(StoreError) {
        for statement in PostgresScript.statements(in: sql) {
            try execute(statement)
        }
    }

    private func run(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> PostgresQueryResult {
        guard isUsable else {
            isAutocommit = true
            throw StoreError(.unavailable, "the connection to PostgreSQL was lost")
        }
        let result = try run(unprepared: text(of: sql), bindings, context: sql)
        trackTransaction(sql, command: result.metadata.command)
        if result.metadata.command == "ROLLBACK", sql.hasPrefix("COMMIT") {
            // A COMMIT of a transaction an error had aborted rolls it back without an error.
            throw StoreError(.unavailable, "the transaction was rolled back by the server")
        }
        return result
    }

    /// Sends `text` as it is and waits for its answer.
    private func run(unprepared text: String, _ bindings: [SQLValue], context: String? = nil) throws(StoreError)
        -> PostgresQueryResult
    {
        let sql = context ?? text
        var binds = PostgresBindings(capacity: bindings.count)
        for value in bindings {
            switch value {
            case .null: binds.appendNull()
            case .integer(let integer): binds.append(integer)
            case .real(let real): binds.append(real)
            case .text(let string): binds.append(string)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
        let result: PostgresQueryResult
        do {
            result = try Self.wait(
                for: connection.query(PostgresQuery(unsafeSQL: text, binds: binds), logger: logger),
                timeout: Self.statementTimeout)
        } catch {
            throw failed(error, sql)
        }
        return result
    }

    private func text(of sql: String) -> String {
        if let known = translated[sql] { return known }
        let text = PostgresScript.numberedPlaceholders(sql)
        if translated.count >= 256 { translated.removeAll() }
        translated[sql] = text
        return text
    }

    /// Rows of a query, from the statement prepared for its text on this session.
    private func runPrepared(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> [PostgresRow] {
        guard isUsable else {
            isAutocommit = true
            throw StoreError(.unavailable, "the connection to PostgreSQL was lost")
        }
        do {
            let statement: PreparedQuery
            if let known = prepared[sql] {
                statement = known
            } else {
                statement = try Self.wait(
                    for: connection.prepare(query: text(of: sql)), timeout: Self.statementTimeout)
                if prepared.count >= 128 {
                    for old in prepared.values { old.deallocate().whenComplete { _ in } }
                    prepared.removeAll()
                }
                prepared[sql] = statement
            }
            return try Self.wait(for: statement.execute(bindings.map(Self.data)), timeout: Self.statementTimeout)
        } catch {
            throw failed(error, sql)
        }
    }

    private static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null: PostgresData(type: .null, value: nil)
        case .integer(let integer): PostgresData(int64: integer)
        case .real(let real): PostgresData(double: real)
        case .text(let string): PostgresData(string: string)
        case .blob(let bytes): PostgresData(bytes: bytes)
        }
    }

    /// The error of a statement that failed; a connection that is gone or did not answer in time
    /// is not used again.
    private func failed(_ error: any Error, _ sql: String) -> StoreError {
        let storeError = Self.storeError(error, context: String(sql.prefix(40)))
        if error is SessionTimeout, !connection.isClosed {
            let connection = connection
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
        if !isUsable || error is SessionTimeout {
            broken = true
            isAutocommit = true
        }
        return storeError
    }

    private func trackTransaction(_ sql: String, command: String) {
        switch command {
        case "BEGIN": isAutocommit = false
        case "COMMIT": isAutocommit = true
        case "ROLLBACK": isAutocommit = sql.hasPrefix("ROLLBACK TO") ? isAutocommit : true
        default: break
        }
    }

    /// A cell as one of SQLite's five storage classes, which is what the services read rows as.
    static func value(of cell: PostgresCell) throws(StoreError) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        // Results always come in binary; a prepared statement's row description (postgres-nio's
        // older API) still says text, so the format is set right before decoding.
        let cell = PostgresCell(
            bytes: cell.bytes, dataType: cell.dataType, format: .binary, columnName: cell.columnName,
            columnIndex: cell.columnIndex)
        do {
            switch cell.dataType {
            case .int2, .int4, .int8, .oid:
                return .integer(try cell.decode(Int64.self))
            case .float4, .float8:
                return .real(try cell.decode(Double.self))
            case .numeric:
                return .real(Double(try cell.decode(String.self)) ?? .nan)
            case .bool:
                return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .bytea:
                var buffer = try cell.decode(ByteBuffer.self)
                return .blob(buffer.readBytes(length: buffer.readableBytes) ?? [])
            default:
                return .text(try cell.decode(String.self))
            }
        } catch {
            throw StoreError(.sql, "column \(cell.columnName): cannot read \(cell.dataType): \(error)")
        }
    }

    /// Classifies what postgres-nio threw, as `StoreError.sqlite` does for SQLite: storage trouble
    /// (`.unavailable`, retried later) apart from refused input and program errors.
    static func storeError(_ error: any Error, context: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is SessionTimeout {
            return StoreError(.unavailable, "\(context): PostgreSQL did not answer within \(statementTimeout)")
        }
        guard let error = error as? PSQLError else {
            return StoreError(.unavailable, "\(context): \(error)")
        }
        guard error.code == .server, let info = error.serverInfo else {
            // Connection refused or reset, the server went away, TLS failed: try again later.
            let underlying = error.underlying.map { ": \($0)" } ?? ""
            return StoreError(.unavailable, "\(context): \(error.code)\(underlying)")
        }
        let state = info[.sqlState] ?? ""
        let message = "\(context): \(info[.message] ?? "server error") (SQLSTATE \(state))"
        switch state.prefix(2) {
        case "23": return StoreError(.constraint, message)
        // Connection exceptions, a server shutting down, out of disk or memory, a deadlock or a
        // serialisation failure with another daemon: all pass, so all are retried.
        case "08", "57", "53", "58", "40": return StoreError(.unavailable, message)
        // Wrong password, unknown role, no such database.
        case "28", "3D": return StoreError(.configuration, message)
        default: return StoreError(.sql, message)
        }
    }

    struct SessionTimeout: Error {}

    /// Waits for `future` on this (non-event-loop) thread.
    static func wait<T: Sendable>(for future: EventLoopFuture<T>, timeout: Duration) throws -> T {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else {
            throw StoreError(.sql, "a PostgreSQL call was made on an event loop, where waiting could deadlock")
        }
        let done = Semaphore()
        let outcome = Mutex<Result<T, any Error>?>(nil)
        future.whenComplete { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        guard done.wait(timeout: timeout) else { throw SessionTimeout() }
        return try outcome.withLock { $0! }.get()
    }
}

/// The SQL text work PostgreSQL needs: numbered placeholders, and scripts cut into statements
/// (the extended protocol runs one statement per message).
enum PostgresScript {
    /// Statements worth preparing: the services' queries (and changes that return rows), not
    /// transaction control or DDL.
    static func isPreparable(_ sql: String) -> Bool {
        let keyword = sql.drop { $0.isWhitespace }.prefix { $0.isLetter }.uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(keyword)
    }

    /// `?NNN` becomes `$NNN` and each bare `?` the next number, outside quotes and comments.
    static func numberedPlaceholders(_ sql: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(sql.utf8.count + 8)
        var next = 1
        var quote: UInt8?
        let bytes = Array(sql.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                output.append(byte)
                if byte == open { quote = nil }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                quote = byte
                output.append(byte)
                index += 1
            case UInt8(ascii: "?"):
                output.append(UInt8(ascii: "$"))
                index += 1
                var digits = 0
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                    output.append(bytes[index])
                    index += 1
                    digits += 1
                }
                if digits == 0 {
                    output.append(contentsOf: String(next).utf8)
                    next += 1
                }
            default:
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The statements of a script, cut at each `;` that is outside quotes, dollar-quoted bodies and
    /// comments; empty statements are dropped.
    static func statements(in script: String) -> [String] {
        let bytes = Array(script.utf8)
        var statements: [String] = []
        var start = 0
        var index = 0
        func flush(upTo end: Int) {
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            let trimmed = text.trimmingWhitespace
            if !trimmed.isEmpty, !trimmed.allLinesAreComments { statements.append(trimmed) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                index += 1
                while index < bytes.count, bytes[index] != byte { index += 1 }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "$") {
                // A dollar quote: $$ or $tag$ up to the same tag again.
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "$"),
                    bytes[end] == UInt8(ascii: "_")
                        || (bytes[end] | 0x20 >= UInt8(ascii: "a") && bytes[end] | 0x20 <= UInt8(ascii: "z"))
                {
                    end += 1
                }
                if end < bytes.count, bytes[end] == UInt8(ascii: "$") {
                    let tag = Array(bytes[index...end])
                    var scan = end + 1
                    while scan + tag.count <= bytes.count, Array(bytes[scan..<scan + tag.count]) != tag { scan += 1 }
                    index = min(bytes.count, scan + tag.count)
                    continue
                }
            }
            if byte == UInt8(ascii: ";") {
                flush(upTo: index)
                start = index + 1
            }
            index += 1
        }
        flush(upTo: bytes.count)
        return statements
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    fileprivate var allLinesAreComments: Bool {
        split(separator: "\n").allSatisfy { $0.drop(while: { $0 == " " }).hasPrefix("--") }
    }
}
