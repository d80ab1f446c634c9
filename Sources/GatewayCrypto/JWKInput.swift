/// A JWK as the caller's JSON reader saw it.
///
/// Kept free of any JSON type so this target depends on libcrypto alone. Member names matter even
/// when their values are not strings: a private member such as `oth` (an array) must still be
/// refused, and a required member holding a number is a different error from one that is absent.
package struct JWKInput: Sendable {
    /// Members whose JSON value is a string.
    package var stringMembers: [String: String]
    /// Every member name present, whatever its type (a superset of `stringMembers.keys`).
    package var memberNames: Set<String>

    /// `memberNames` is widened to include every key of `stringMembers`, so a caller with only
    /// string members can omit it.
    package init(stringMembers: [String: String], memberNames: Set<String> = []) {
        self.stringMembers = stringMembers
        self.memberNames = memberNames.union(stringMembers.keys)
    }

    enum Member {
        case absent
        case notString
        case string(String)
    }

    func member(_ name: String) -> Member {
        if let value = stringMembers[name] { return .string(value) }
        return memberNames.contains(name) ? .notString : .absent
    }
}
