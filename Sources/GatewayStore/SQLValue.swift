/// One SQLite value, for bindings and result columns.
///
/// Kept to SQLite's own five storage classes so nothing is lost or guessed on the way in or out.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ int: Int) { self = .integer(Int64(int)) }
    public init(_ string: String?) { self = string.map { .text($0) } ?? .null }
    public init(_ int: Int?) { self = int.map { .integer(Int64($0)) } ?? .null }
    /// SQLite has no boolean; 0/1 integers are what CHECK constraints and indexes expect.
    public init(_ flag: Bool) { self = .integer(flag ? 1 : 0) }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension SQLValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}
