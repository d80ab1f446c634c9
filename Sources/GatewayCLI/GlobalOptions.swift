import ArgumentParser

/// `--socket` and `--json`: accepted by every command, before or after its name (SPEC 8).
///
/// The argument parser only reads a command's options after that command's name, so each leaf
/// command includes this group and ``hoisted(_:)`` moves any of these options that came earlier
/// to the end of the line before parsing.
package struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The daemon's socket (default: $PMS_GATEWAY_SOCKET, else /run/pms-gateway/pms-gateway.sock when it exists, else var/run/pms-gateway.sock).",
            valueName: "path"),
        completion: .file())
    package var socket: String?

    @Flag(help: "Print the result as one JSON document, also on a terminal.")
    package var json = false

    package init() {}

    /// The options this group defines, with whether each takes a value.
    static let names: [(name: String, takesValue: Bool)] = [("--socket", true), ("--json", false)]

    /// `arguments` with every global option moved after the rest, so it reaches the leaf command
    /// wherever the operator wrote it. Nothing after a `--` terminator is touched.
    package static func hoisted(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var moved: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                kept += arguments[index...]
                break
            }
            if let option = names.first(where: { argument == $0.name || argument.hasPrefix($0.name + "=") }) {
                moved.append(argument)
                if option.takesValue && argument == option.name && index + 1 < arguments.endIndex {
                    index += 1
                    moved.append(arguments[index])
                }
            } else {
                kept.append(argument)
            }
            index += 1
        }
        guard let terminator = kept.firstIndex(of: "--") else { return kept + moved }
        return Array(kept[..<terminator]) + moved + kept[terminator...]
    }
}

/// Where the daemon listens, in SPEC 8's order.
package enum SocketLocation {
    /// The path systemd's socket unit creates.
    package static let systemPath = "/run/pms-gateway/pms-gateway.sock"
    /// `make run`'s layout, relative to the working directory.
    package static let developmentPath = "var/run/pms-gateway.sock"

    /// `--socket`, else `$PMS_GATEWAY_SOCKET` (when not empty), else the system path when
    /// something exists there, else the development path.
    package static func resolve(
        option: String?, environment: (String) -> String?, exists: (String) -> Bool
    ) -> String {
        if let option { return option }
        if let variable = environment("PMS_GATEWAY_SOCKET"), !variable.isEmpty { return variable }
        return exists(systemPath) ? systemPath : developmentPath
    }
}
