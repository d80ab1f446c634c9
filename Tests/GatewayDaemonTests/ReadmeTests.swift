import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// The README's `echo '{...}' | socat - UNIX-CONNECT:...` lines, run for real against a daemon.
@Suite(.tags(.process)) struct ReadmeTests {
    static let readmeSocket = "var/run/pms-gateway.sock"
    static let healthLine =
        #"echo '{"jsonrpc":"2.0","id":1,"method":"system.health"}' | socat - UNIX-CONNECT:var/run/pms-gateway.sock"#

    /// The README's socat one-liners.
    static func socatLines() throws -> [String] {
        let text = try String(contentsOfFile: "\(TestPaths.packageRoot)/README.md", encoding: .utf8)
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { ($0.hasPrefix("echo '{") || $0.hasPrefix("echo '[")) && $0.contains("socat") }
    }

    @Test func socatOneLinersWork() throws {
        let daemon = try TestDaemon()
        let lines = try Self.socatLines()
        try #require(lines.contains(Self.healthLine), "the README shows the health call: \(lines)")
        for line in lines {
            #expect(line.contains(Self.readmeSocket), "a README socat line uses another socket path: \(line)")
            let command = line.replacing(Self.readmeSocket, with: daemon.socketPath)
            let output = try ShellCommand.sh(command)
            #expect(output.status == 0, "\(line): \(output)")
            let replies = output.stdoutLines
            #expect(!replies.isEmpty, "\(line): no output")
            for reply in replies {
                let value = try JSONValue.parse(reply)
                // The README shows working calls: an answer, not "method not found" or a parse error.
                for entry in value.arrayValue ?? [value] {
                    #expect(entry["jsonrpc"] == "2.0", "\(line): \(reply)")
                    #expect(entry["id"]?.intValue != nil, "\(line): \(reply)")
                    #expect(![-32601, -32700, -32600].contains(entry.rpcErrorCode), "\(line): \(reply)")
                }
            }
        }
        // The first one answers as the README says.
        let output = try ShellCommand.sh(Self.healthLine.replacing(Self.readmeSocket, with: daemon.socketPath))
        let reply = try JSONValue.parse(output.stdout)
        #expect(reply["id"] == 1)
        #expect(reply["result"]?["status"] == "ok")
    }
}
