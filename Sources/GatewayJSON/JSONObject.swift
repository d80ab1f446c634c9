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

    /// Adds a member the parser read: a repeated key replaces the earlier value in its place.
    ///
    /// A request line may hold an object of a hundred thousand members, so the parser cannot look
    /// for each key among all those before it (a 430 KB object took 1.4 s of an event loop that
    /// way): past a few members it keeps `positions`, each key's index, beside the object.
    mutating func addParsed(_ key: String, _ value: JSONValue, positions: inout [String: Int]?) {
        if positions == nil {
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = value
                return
            }
            members.append((key, value))
            if members.count > Self.membersSearchedInPlace {
                positions = Dictionary(members.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { $1 })
            }
        } else if let index = positions?[key] {
            members[index].value = value
        } else {
            positions?[key] = members.count
            members.append((key, value))
        }
    }

    private static let membersSearchedInPlace = 16

    package func makeIterator() -> IndexingIterator<[Element]> {
        members.makeIterator()
    }

    /// Order-insensitive. Large objects are compared through a table of one side's members, for
    /// the same reason the parser keeps one: a search per member would be quadratic.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > membersSearchedInPlace else {
            return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
        }
        let values = Dictionary(rhs.members.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        return lhs.members.allSatisfy { values[$0.key] == $0.value }
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
