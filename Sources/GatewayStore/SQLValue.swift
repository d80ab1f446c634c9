/// One SQLite value, for bindings and result columns.
///
/// Kept to SQLite's own five storage classes so nothing is lost or guessed on the way in or out.
package enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    package init(_ int: Int) { self = .integer(Int64(int)) }
    package init(_ string: String?) { self = string.map { .text($0) } ?? .null }
    package init(_ int: Int?) { self = int.map { .integer(Int64($0)) } ?? .null }
    /// SQLite has no boolean; 0/1 integers are what CHECK constraints and indexes expect.
    package init(_ flag: Bool) { self = .integer(flag ? 1 : 0) }

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension SQLValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    package init(nilLiteral: ()) { self = .null }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .text(value) }
    package init(floatLiteral value: Double) { self = .real(value) }
    package init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}
