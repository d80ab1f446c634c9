import GatewayJSON

/// The part of JSON Schema that MOSIP's policy schemas and eSignet's `additionalConfig` schema
/// use: `type`, `properties`, `required`, `additionalProperties` (false or a schema), `items`,
/// `enum`, `oneOf` and `minimum`.
///
/// Enough to check a policy the way PMS does, without a general validator's weight. The first
/// violation is reported as a path below the checked value and a Hibernate-style reason.
struct JSONSchemaSubset: Sendable {
    let schema: JSONValue

    struct Violation: Error, Equatable {
        /// Dotted path below the validated value (`allowAuthRequestDelegation`, `items[0].authType`).
        let path: String
        let reason: String
    }

    func validate(_ value: JSONValue) throws(Violation) {
        try check(value, against: schema, path: "")
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String) throws(Violation) {
        if let type = schema["type"]?.stringValue, !Self.matches(value, type: type) {
            throw Violation(path: path, reason: "must be \(Self.article(type)) \(type)")
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let names = allowed.map { $0.stringValue ?? $0.serialized() }.joined(separator: ", ")
            throw Violation(path: path, reason: "must be one of \(names)")
        }
        if let minimum = schema["minimum"]?.numberValue?.double, case .number(let number) = value,
            let actual = number.double, actual < minimum
        {
            throw Violation(path: path, reason: "must be at least \(schema["minimum"]!.serialized())")
        }
        if let choices = schema["oneOf"]?.arrayValue { try checkOneOf(value, choices, path: path) }
        if case .object(let object) = value { try checkObject(object, against: schema, path: path) }
        if case .array(let elements) = value, let items = schema["items"] {
            for (index, element) in elements.enumerated() {
                try check(element, against: items, path: "\(path)[\(index)]")
            }
        }
    }

    private func checkObject(_ object: JSONObject, against schema: JSONValue, path: String) throws(Violation) {
        let properties = schema["properties"]?.objectValue ?? JSONObject()
        for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where object[name] == nil {
            throw Violation(path: Self.join(path, name), reason: "must not be null")
        }
        for (name, member) in object {
            if let propertySchema = properties[name] {
                try check(member, against: propertySchema, path: Self.join(path, name))
            } else if schema["additionalProperties"] == .bool(false) {
                throw Violation(path: Self.join(path, name), reason: "is not a known property")
            } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                try check(member, against: additional, path: Self.join(path, name))
            }
        }
    }

    /// Exactly one choice must accept the value. When none does, the reason given is the one from
    /// the choice whose `type` fits the value (it names the deepest failing path), else a general one.
    private func checkOneOf(_ value: JSONValue, _ choices: [JSONValue], path: String) throws(Violation) {
        var accepted = 0
        var fitting: Violation?
        for choice in choices {
            do {
                try check(value, against: choice, path: path)
                accepted += 1
            } catch {
                let typeFits = choice["type"]?.stringValue.map { Self.matches(value, type: $0) } ?? true
                if typeFits, fitting == nil { fitting = error }
            }
        }
        if accepted == 1 { return }
        if accepted == 0, let fitting { throw fitting }
        throw Violation(path: path, reason: accepted == 0 ? "matches none of the allowed forms" : "is ambiguous")
    }

    private static func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }

    private static func article(_ type: String) -> String {
        type.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("number", .number): true
        case ("integer", .number(let number)): number.int != nil
        default: false
        }
    }
}
