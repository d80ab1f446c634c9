import GatewayJSON

/// Reads request fields with PMS's bean-validation rules and wording (SPEC 3, `PMS_COR_001`).
///
/// Callers read fields in the order of the method's table, so the first failing field is the
/// one reported, as PMS reports it.
package struct ParamReader: Sendable {
    package let params: JSONObject

    package init(_ params: JSONObject) {
        self.params = params
    }

    /// Printable ASCII has one character per byte; anything else is counted by grapheme, as
    /// PMS counts.
    private static func characterCount(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? text.utf8.count : text.count
    }

    /// A printable ASCII byte settles it without Unicode's whitespace tables (every id does).
    private func isBlank(_ text: String) -> Bool {
        if text.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) { return false }
        return text.allSatisfy(\.isWhitespace)
    }

    /// A string that must be present, not blank, and `size` characters long.
    package func string(_ field: String, size: ClosedRange<Int>) throws(GatewayError) -> String {
        switch params[field] {
        case nil, .null?:
            throw .invalidParameter(field, "must not be blank")
        case .string(let text)?:
            if isBlank(text) { throw .invalidParameter(field, "must not be blank") }
            if !size.contains(Self.characterCount(text)) { throw .invalidParameter(field, Self.sizeReason(size)) }
            return text
        default:
            throw .invalidParameter(field, "must be a string")
        }
    }

    /// An optional string; when present it must be a string within `size` (blank allowed).
    package func optionalString(_ field: String, size: ClosedRange<Int> = 0...Int.max) throws(GatewayError) -> String? {
        switch params[field] {
        case nil, .null?:
            return nil
        case .string(let text)?:
            if !size.contains(Self.characterCount(text)) { throw .invalidParameter(field, Self.sizeReason(size)) }
            return text
        default:
            throw .invalidParameter(field, "must be a string")
        }
    }

    /// A string that must be one of `allowed` (compared case-sensitively unless `caseInsensitive`).
    package func oneOf(_ field: String, _ allowed: [String], caseInsensitive: Bool = false) throws(GatewayError)
        -> String
    {
        let text = try string(field, size: 1...Int.max)
        let match = allowed.first { caseInsensitive ? $0.lowercased() == text.lowercased() : $0 == text }
        guard let match else {
            throw .invalidParameter(field, "must be one of \(allowed.joined(separator: ", "))")
        }
        return match
    }

    /// A list of strings with `size` entries.
    package func strings(_ field: String, size: ClosedRange<Int>) throws(GatewayError) -> [String] {
        switch params[field] {
        case nil, .null?:
            throw .invalidParameter(field, "must not be null")
        case .array(let elements)?:
            let strings = elements.compactMap(\.stringValue)
            guard strings.count == elements.count else { throw .invalidParameter(field, "must be an array of strings") }
            if !size.contains(strings.count) { throw .invalidParameter(field, Self.sizeReason(size)) }
            return strings
        default:
            throw .invalidParameter(field, "must be an array of strings")
        }
    }

    /// An object that must be present and, unless `allowEmpty`, non-empty.
    package func object(_ field: String, allowEmpty: Bool = false) throws(GatewayError) -> JSONObject {
        switch params[field] {
        case nil, .null?:
            throw .invalidParameter(field, "must not be null")
        case .object(let object)?:
            if object.isEmpty && !allowEmpty { throw .invalidParameter(field, "must not be empty") }
            return object
        default:
            throw .invalidParameter(field, "must be an object")
        }
    }

    package func optionalObject(_ field: String) throws(GatewayError) -> JSONObject? {
        switch params[field] {
        case nil, .null?: return nil
        case .object(let object)?: return object
        default: throw .invalidParameter(field, "must be an object")
        }
    }

    /// An optional string naming one of `Value`'s cases (its raw value, exactly).
    package func optionalCase<Value: RawRepresentable & CaseIterable>(_ field: String, of type: Value.Type)
        throws(GatewayError) -> Value?
    where Value.RawValue == String {
        guard let text = try optionalString(field) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw .invalidParameter(field, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// An optional integer within `range`.
    package func optionalInt(_ field: String, range: ClosedRange<Int>) throws(GatewayError) -> Int? {
        switch params[field] {
        case nil, .null?:
            return nil
        case .number(let number)?:
            guard let value = number.int else { throw .invalidParameter(field, "must be an integer") }
            guard range.contains(value) else {
                let reason =
                    range.upperBound == Int.max
                    ? "must be at least \(range.lowerBound)"
                    : "must be between \(range.lowerBound) and \(range.upperBound)"
                throw .invalidParameter(field, reason)
            }
            return value
        default:
            throw .invalidParameter(field, "must be an integer")
        }
    }

    static func sizeReason(_ size: ClosedRange<Int>) -> String {
        "size must be between \(size.lowerBound) and \(size.upperBound == Int.max ? 2_147_483_647 : size.upperBound)"
    }
}
