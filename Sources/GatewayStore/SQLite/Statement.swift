import CSQLite

/// A prepared statement owned by one connection and reused across calls.
///
/// Preparing is a large part of a short statement's cost; the connection caches these by SQL text
/// and every use ends with `reset()`, so a cached statement never holds a read snapshot open.
final class Statement {
    let handle: OpaquePointer
    private unowned let connection: Connection
    private var columnNamesCache: ColumnNames?

    init(connection: Connection, sql: String) throws(StoreError) {
        var statement: OpaquePointer?
        // `tail` points into the C string, so it is read inside `withCString`: the implicit
        // String-to-pointer bridge would free that buffer as soon as the prepare call returned.
        let (result, hasSecondStatement) = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let result = sqlite3_prepare_v3(
                connection.handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            let rest = tail.map { String(cString: $0) } ?? ""
            return (result, !rest.allSatisfy(\.isWhitespace))
        }
        guard result == SQLITE_OK, let statement else {
            throw connection.error(result, "prepare")
        }
        // A second statement in the text would silently never run.
        if hasSecondStatement {
            sqlite3_finalize(statement)
            throw StoreError(.sql, "prepare: more than one statement in \(sql.prefix(60))")
        }
        self.handle = statement
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
        bindingBytes.deallocate()
    }

    /// The bytes of the text and blob bindings, copied here and bound without a copy of SQLite's
    /// own (`SQLITE_STATIC`): bound transient, each one cost SQLite an allocation, and a write
    /// binds a dozen. The buffer lives as long as the statement and is written only in `bind`;
    /// every use of a statement ends with `reset()`, which unbinds before the next `bind`.
    private var bindingBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 1)

    func bind(_ bindings: [SQLValue]) throws(StoreError) {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard bindings.count == expected else {
            throw StoreError(.sql, "statement expects \(expected) bindings, got \(bindings.count)")
        }
        reserveBindingBytes(for: bindings)
        var used = 0
        for (offset, value) in bindings.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(handle, index)
            case .integer(let int): result = sqlite3_bind_int64(handle, index, int)
            case .real(let real): result = sqlite3_bind_double(handle, index, real)
            case .text(var text):
                let (start, count) = text.withUTF8 { copyIntoBindingBytes(UnsafeRawBufferPointer($0), at: &used) }
                // Bound with its byte length: with -1 SQLite stops at the first NUL, and
                // "victim\u{0}A" would be stored as "victim" (SPEC 2).
                result = sqlite3_bind_text64(
                    handle, index, start.assumingMemoryBound(to: CChar.self), UInt64(count), nil, UInt8(SQLITE_UTF8))
            case .blob(let bytes):
                let (start, count) = bytes.withUnsafeBytes { copyIntoBindingBytes($0, at: &used) }
                result = sqlite3_bind_blob64(handle, index, start, UInt64(count), nil)
            }
            guard result == SQLITE_OK else { throw connection.error(result, "bind") }
        }
    }

    /// Copies `source` into the binding buffer at `used` and moves `used` past it; where it landed.
    private func copyIntoBindingBytes(_ source: UnsafeRawBufferPointer, at used: inout Int)
        -> (start: UnsafeMutableRawPointer, count: Int)
    {
        let start = bindingBytes.baseAddress! + used
        if let base = source.baseAddress { start.copyMemory(from: base, byteCount: source.count) }
        used += source.count
        return (start, source.count)
    }

    /// Grows the binding buffer to hold every text and blob of `bindings`.
    private func reserveBindingBytes(for bindings: [SQLValue]) {
        var needed = 0
        for value in bindings {
            switch value {
            case .text(let text): needed += text.utf8.count
            case .blob(let bytes): needed += bytes.count
            case .null, .integer, .real: break
            }
        }
        guard needed > bindingBytes.count else { return }
        bindingBytes.deallocate()
        bindingBytes = .allocate(byteCount: max(needed, 2 * bindingBytes.count), alignment: 1)
    }

    /// True while a row is available; false once the statement is done.
    func step() throws(StoreError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let result: throw connection.error(result, "step")
        }
    }

    /// Releases the statement's locks and snapshot, and clears the bindings, which point into
    /// `bindingBytes` until the next `bind` writes there again.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    var columnCount: Int32 { sqlite3_column_count(handle) }

    var columnNames: ColumnNames {
        if let columnNamesCache { return columnNamesCache }
        let names = (0..<columnCount).map { String(cString: sqlite3_column_name(handle, $0)) }
        let result = ColumnNames(names)
        columnNamesCache = result
        return result
    }

    func type(_ column: Int32) -> Int32 {
        sqlite3_column_type(handle, column)
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The column's UTF-8 bytes without a copy; valid only until the next step or reset.
    func textBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT: return .text(String(decoding: textBytes(column), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    func row() -> Row {
        Row(values: (0..<columnCount).map { value($0) }, columns: columnNames)
    }
}
