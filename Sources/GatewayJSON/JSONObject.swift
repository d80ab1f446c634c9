/// A JSON object that keeps member order.
///
/// Member order matters only for how responses read; lookups use the last occurrence of a key,
/// as most JSON parsers do, and the parser already collapses duplicates.
package struct JSONObject: Sendable, Equatable, Sequence {
    package typealias Element = (key: String, value: JSONValue)

    package private(set) var members: [Element]

    package init() {
        self.members = []
    }

    package init(_ pairs: [(String, JSONValue)]) {
        self.members = []
        members.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// Members whose keys the caller knows to be distinct, taken as they are: through the
    /// subscript, each member would search all those before it.
    package init(distinctMembers members: [Element]) {
        self.members = members
    }

    package var count: Int { members.count }
    package var isEmpty: Bool { members.isEmpty }
    package var keys: [String] { members.map(\.key) }

    package subscript(key: String) -> JSONValue? {
        get {
            members.last(where: { $0.key == key })?.value
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// Appends without checking for an existing key; the parser uses it after its own check.
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    package func makeIterator() -> IndexingIterator<[Element]> {
        members.makeIterator()
    }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.members where rhs[key] != value { return false }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// A literal's keys are distinct by construction (as `Dictionary` requires of its literals),
    /// so its members are taken in order without the subscript's search for each one: responses
    /// are built from literals on every call.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(literal: elements)
    }

    init(literal elements: [(String, JSONValue)]) {
        assert(Set(elements.map(\.0)).count == elements.count, "a JSON object literal repeats a key")
        self.init(distinctMembers: elements.map { (key: $0.0, value: $0.1) })
    }
}
