import Foundation

/// Runs a program to completion and captures what it printed: the daemon with a bad config,
/// `pms-gatewayd --check-config`, `socat` under `setpriv`, a README line under `/bin/sh`.
public enum ShellCommand {
    public struct Output: CustomStringConvertible {
        public let status: Int32
        public let reason: Process.TerminationReason
        public let stdout: String
        public let stderr: String

        /// Non-empty stdout lines.
        public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        /// Non-empty stderr lines.
        public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
        public var exitedNormally: Bool { reason == .exit }

        public var description: String {
            "status \(status) (\(reason == .exit ? "exit" : "signal")), stdout: \(stdout), stderr: \(stderr)"
        }
    }

    /// Runs `executable` with `arguments`; stdout and stderr go to temporary files so a chatty
    /// program cannot fill a pipe and hang. The process is killed after `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
        timeout: Duration = .seconds(20)
    ) throws -> Output {
        let scratch = try TemporaryDirectory(prefix: "pgw-sh")
        let stdoutPath = scratch.file("stdout")
        let stderrPath = scratch.file("stderr")
        var stdin: ChildProcess.Stream = .null
        var pipeEnds: [Int32] = [-1, -1]
        if input != nil {
            // A socket pair rather than a pipe: it can be created close-on-exec atomically.
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pipeEnds) == 0
            else {
                throw TestFailure("socketpair: errno \(errno)")
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
            throw TestFailure("\(executable) \(arguments) did not finish within \(timeout)")
        }
        return Output(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        )
    }

    /// Runs `script` with `/bin/sh -c`.
    public static func sh(_ script: String, environment: [String: String] = [:], timeout: Duration = .seconds(20))
        throws
        -> Output
    {
        try run("/bin/sh", ["-c", script], environment: environment, timeout: timeout)
    }
}
