import Foundation
import GatewayJSON

/// Runs a program to completion and captures what it printed: the daemon with a bad config,
/// `pms-gatewayd --check-config`, `socat` under `setpriv`, a README line under `/bin/sh`.
enum ShellCommand {
    struct Output: CustomStringConvertible {
        let status: Int32
        let reason: Process.TerminationReason
        let stdout: String
        let stderr: String

        /// Non-empty stdout lines.
        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        /// Non-empty stderr lines.
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
        var exitedNormally: Bool { reason == .exit }

        var description: String {
            "status \(status) (\(reason == .exit ? "exit" : "signal")), stdout: \(stdout), stderr: \(stderr)"
        }
    }

    /// Runs `executable` with `arguments`; stdout and stderr go to temporary files so a chatty
    /// program cannot fill a pipe and hang. The process is killed after `timeout`.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
        timeout: Duration = .seconds(20)
    ) throws -> Output {
        let scratch = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let stdoutPath = "\(scratch)/stdout"
        let stderrPath = "\(scratch)/stderr"
        var stdin: ChildProcess.Stream = .null
        var pipeEnds: [Int32] = [-1, -1]
        if input != nil {
            // A socket pair rather than a pipe: it can be created close-on-exec atomically.
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pipeEnds) == 0
            else {
                throw RPCClient.Failure(description: "socketpair: errno \(errno)")
            }
            stdin = .descriptor(pipeEnds[0])
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: executable, arguments: arguments, environment: ChildProcess.environment(environment),
                stdin: stdin, stdout: .file(stdoutPath), stderr: .file(stderrPath)
            )
        } catch {
            for end in pipeEnds where end >= 0 { close(end) }
            throw error
        }
        if let input {
            close(pipeEnds[0])
            let bytes = Array(input.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes {
                    send(pipeEnds[1], $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if written <= 0 { break }  // the program stopped reading; its output tells the rest
                offset += written
            }
            close(pipeEnds[1])
        }
        guard process.waitForExit(timeout: timeout) else {
            process.killAndReap()
            throw RPCClient.Failure(description: "\(executable) \(arguments) did not finish within \(timeout)")
        }
        return Output(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        )
    }

    /// Runs `script` with `/bin/sh -c`.
    static func sh(_ script: String, environment: [String: String] = [:], timeout: Duration = .seconds(20)) throws
        -> Output
    {
        try run("/bin/sh", ["-c", script], environment: environment, timeout: timeout)
    }

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
