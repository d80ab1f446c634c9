import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// Runs the `pms-gateway` binary under test against one socket, its stdout either a file (a pipe
/// for what it can tell: not a terminal) or a pseudo-terminal made by `script(1)`.
struct CLI {
    let socket: String

    /// What a run on a terminal printed, with `script`'s CRLFs turned back into line feeds.
    struct TerminalOutput: CustomStringConvertible {
        let status: Int32
        /// Everything the terminal showed (stdout and stderr both), colour codes included.
        let raw: String
        /// `raw` without ANSI colour codes.
        var text: String { strippingANSIColour(raw) }
        var lines: [String] { text.split(separator: "\n").map(String.init) }
        var hasColour: Bool { raw.contains("\u{1B}[") }
        var description: String { "status \(status): \(raw)" }
    }

    /// With stdout a file: JSON unless the command prints text on purpose.
    func pipe(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws
        -> ShellCommand.Output
    {
        try ShellCommand.run(TestPaths.cli, withSocket(arguments), environment: environment, input: input)
    }

    /// `arguments` with `--socket`, placed before a `--` that ends the options.
    private func withSocket(_ arguments: [String]) -> [String] {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        return Array(arguments[..<end]) + ["--socket", socket] + arguments[end...]
    }

    /// On a pseudo-terminal (`script -q -e -c ... /dev/null`), with colour allowed unless
    /// `noColor`: `NO_COLOR` is removed from the environment, or set.
    func terminal(_ arguments: [String], noColor: Bool = false) throws -> TerminalOutput {
        let command = ([TestPaths.cli] + withSocket(arguments)).map(shellQuoted).joined(separator: " ")
        let colour = noColor ? ["NO_COLOR=1"] : ["-u", "NO_COLOR"]
        let output = try ShellCommand.run(
            "/usr/bin/env", colour + ["TERM=xterm", "/usr/bin/script", "-q", "-e", "-c", command, "/dev/null"])
        return TerminalOutput(status: output.status, raw: output.stdout.replacing("\r\n", with: "\n"))
    }

    /// The result a pipe run printed: exactly one JSON document on one line.
    func json(_ arguments: [String], input: String? = nil) throws -> JSONValue {
        let output = try pipe(arguments, input: input)
        guard output.status == 0, output.stderr.isEmpty else { throw TestFailure("\(arguments): \(output)") }
        guard output.stdoutLines.count == 1 else { throw TestFailure("\(arguments): not one line: \(output.stdout)") }
        return try JSONValue.parse(output.stdout)
    }
}

func shellQuoted(_ text: String) -> String {
    "'" + text.replacing("'", with: "'\\''") + "'"
}

extension CLI {
    /// Every leaf subcommand (`client create`, `health`, ...) as the binary itself describes
    /// them (`--experimental-dump-help`), with the long names of their options.
    static func commandTree() throws -> [String: Set<String>] {
        let output = try ShellCommand.run(TestPaths.cli, ["--experimental-dump-help"])
        let tree = try JSONValue.parse(output.stdout)
        var leaves: [String: Set<String>] = [:]
        func walk(_ command: JSONValue, path: [String]) {
            let subcommands = (command["subcommands"]?.arrayValue ?? []).filter { $0["commandName"] != "help" }
            if subcommands.isEmpty {
                let names = (command["arguments"]?.arrayValue ?? []).flatMap { $0["names"]?.arrayValue ?? [] }
                    .filter { $0["kind"] == "long" }.compactMap { $0["name"]?.stringValue }
                leaves[path.joined(separator: " ")] = Set(names)
            }
            for subcommand in subcommands {
                walk(subcommand, path: path + [subcommand["commandName"]?.stringValue ?? "?"])
            }
        }
        walk(tree["command"] ?? .null, path: [])
        return leaves
    }
}
