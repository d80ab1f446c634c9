/// SPEC 8's naming: a method's subcommand is its name split at the dot with camelCase turned into
/// kebab-case, and a param's flag is the param in kebab-case, lists by their singular.
package enum MethodName {
    /// `partner.mapPolicy` → `partner map-policy`.
    package static func subcommand(_ method: String) -> String {
        method.split(separator: ".").map { kebab(String($0)) }.joined(separator: " ")
    }

    /// `authPartnerId` → `auth-partner-id`.
    package static func kebab(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty { result.append("-") }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The flag of a param: `--redirect-uri` for the list `redirectUris`, `--policy-id` for `policyId`.
    package static func flag(param: String, isList: Bool) -> String {
        let name = kebab(param)
        return "--" + (isList && name.hasSuffix("s") ? String(name.dropLast()) : name)
    }
}
