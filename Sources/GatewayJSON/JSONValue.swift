/// A JSON document as received or to be sent.
///
/// Numbers keep their exact source text (see ``JSONNumber``) so that a JSON-RPC id such as
/// `9007199254740993` is echoed digit for digit, and objects keep member order so responses read
/// the way the spec lists their fields.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    package var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    package var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    package var numberValue: JSONNumber? {
        if case .number(let value) = self { value } else { nil }
    }

    /// The value as an `Int` when it is an integral number that fits.
    package var intValue: Int? {
        numberValue?.int
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    package var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    /// Member lookup on objects; `nil` for a missing member or a non-object.
    package subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

}

extension JSONValue {
    package init(_ int: Int) {
        self = .number(JSONNumber(int))
    }

    /// `.string` or `.null` for an optional.
    package init(_ string: String?) {
        self = string.map(JSONValue.string) ?? .null
    }

    package init(_ strings: [String]) {
        self = .array(strings.map(JSONValue.string))
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    package init(nilLiteral: ()) { self = .null }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    package init(stringLiteral value: String) { self = .string(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(literal: elements)) }
}

extension JSONValue {
    /// Whether any string in the value, member names included, contains U+0000. C APIs (SQLite
    /// with a -1 length, file names) stop at a NUL, so such a string would mean one thing when
    /// checked and another when stored: SPEC 2 refuses it at the door.
    package var containsNUL: Bool {
        switch self {
        case .null, .bool, .number: false
        case .string(let text): text.utf8.contains(0)
        case .array(let elements): elements.contains { $0.containsNUL }
        case .object(let object): object.contains { $0.key.utf8.contains(0) || $0.value.containsNUL }
        }
    }
}
