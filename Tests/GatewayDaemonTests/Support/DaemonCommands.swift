import GatewayJSON
import GatewayTestSupport

extension ShellCommand {
    /// Runs the daemon binary under test to completion (a refused start, `--check-config`).
    static func daemon(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(20))
        throws -> Output
    {
        try run(TestPaths.daemon, arguments, environment: environment, timeout: timeout)
    }

    /// Sends `lines` (each followed by `\n`) to the socket with `socat`, optionally as another user
    /// via `setpriv`, and returns the response lines parsed as JSON.
    static func socat(
        socket: String, lines: [String], asUser user: String? = nil, group: String? = nil
    ) throws -> (output: Output, responses: [JSONValueLine]) {
        var command = ["/usr/bin/socat", "-t", "5", "-", "UNIX-CONNECT:\(socket)"]
        if let user {
            command = ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(group ?? user)", "--clear-groups"] + command
        }
        let output = try run(command[0], Array(command.dropFirst()), input: lines.map { $0 + "\n" }.joined())
        return (output, output.stdoutLines.map(JSONValueLine.init))
    }
}

/// One response line and its parsed value (nil when the line is not JSON).
struct JSONValueLine {
    let text: String
    let value: JSONValue?

    init(_ text: String) {
        self.text = text
        value = try? JSONValue.parse(text)
    }
}
