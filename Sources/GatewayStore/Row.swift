/// One result row, detached from its statement so it can outlive the connection and cross threads.
package struct Row: Sendable {
    package let values: [SQLValue]
    let columns: ColumnNames

    init(values: [SQLValue], columns: ColumnNames) {
        self.values = values
        self.columns = columns
    }

    package var count: Int { values.count }
    package var columnNames: [String] { columns.names }

    package subscript(index: Int) -> SQLValue {
        values[index]
    }

    /// `.null` for a name the query did not select would hide typos; this throws instead.
    package subscript(name: String) -> SQLValue {
        get throws(StoreError) { values[try columns.index(of: name)] }
    }

    package func int(_ index: Int) throws(StoreError) -> Int {
        guard let value = try optionalInt(index) else { throw mismatch(index, "integer", got: "NULL") }
        return value
    }

    package func optionalInt(_ index: Int) throws(StoreError) -> Int? {
        switch try value(index) {
        case .null: return nil
        case .integer(let int): return Int(int)
        case let other: throw mismatch(index, "integer", got: other)
        }
    }

    package func string(_ index: Int) throws(StoreError) -> String {
        guard let value = try optionalString(index) else { throw mismatch(index, "text", got: "NULL") }
        return value
    }

    package func optionalString(_ index: Int) throws(StoreError) -> String? {
        switch try value(index) {
        case .null: return nil
        case .text(let text): return text
        case let other: throw mismatch(index, "text", got: other)
        }
    }

    package func double(_ index: Int) throws(StoreError) -> Double {
        switch try value(index) {
        case .real(let real): return real
        // An integer is a legitimate REAL value: SQLite stores whole reals as integers.
        case .integer(let int): return Double(int)
        case let other: throw mismatch(index, "real", got: other)
        }
    }

    package func blob(_ index: Int) throws(StoreError) -> [UInt8] {
        switch try value(index) {
        case .blob(let bytes): return bytes
        case let other: throw mismatch(index, "blob", got: other)
        }
    }

    package func bool(_ index: Int) throws(StoreError) -> Bool {
        try int(index) != 0
    }

    package func int(_ name: String) throws(StoreError) -> Int { try int(columns.index(of: name)) }
    package func optionalInt(_ name: String) throws(StoreError) -> Int? { try optionalInt(columns.index(of: name)) }
    package func string(_ name: String) throws(StoreError) -> String { try string(columns.index(of: name)) }
    package func optionalString(_ name: String) throws(StoreError) -> String? {
        try optionalString(columns.index(of: name))
    }
    package func double(_ name: String) throws(StoreError) -> Double { try double(columns.index(of: name)) }
    package func blob(_ name: String) throws(StoreError) -> [UInt8] { try blob(columns.index(of: name)) }
    package func bool(_ name: String) throws(StoreError) -> Bool { try bool(columns.index(of: name)) }

    private func value(_ index: Int) throws(StoreError) -> SQLValue {
        guard values.indices.contains(index) else {
            throw StoreError(.sql, "column \(index) out of range (row has \(values.count))")
        }
        return values[index]
    }

    private func mismatch(_ index: Int, _ expected: String, got: some Any) -> StoreError {
        let name = columns.names.indices.contains(index) ? columns.names[index] : "#\(index)"
        return StoreError(.sql, "column \(name): expected \(expected), found \(got)")
    }
}

/// Column names of one prepared statement, shared by all its rows instead of copied into each.
final class ColumnNames: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        // The first of two equal names wins, as in SQL's own name resolution.
        for (index, name) in names.enumerated() where positions[name] == nil {
            positions[name] = index
        }
        self.positions = positions
    }

    func index(of name: String) throws(StoreError) -> Int {
        guard let index = positions[name] else {
            throw StoreError(.sql, "no column \(name) in result (\(names.joined(separator: ", ")))")
        }
        return index
    }
}
