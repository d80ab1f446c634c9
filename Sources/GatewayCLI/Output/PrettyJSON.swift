import GatewayJSON

/// JSON indented by two spaces, member order kept: `--json` on a terminal. Scalars and names are
/// written by the project's own writer, so escaping is the same as on the wire.
package enum PrettyJSON {
    package static func format(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: "", into: &output)
        return output
    }

    private static func write(_ value: JSONValue, indent: String, into output: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += inner
                write(element, indent: inner, into: &output)
                output += index == elements.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        case .object(let object) where !object.isEmpty:
            output += "{\n"
            for (index, member) in object.members.enumerated() {
                output += inner + JSONValue.string(member.key).serialized() + ": "
                write(member.value, indent: inner, into: &output)
                output += index == object.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        default:
            output += value.serialized()
        }
    }
}
