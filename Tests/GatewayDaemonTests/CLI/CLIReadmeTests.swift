import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// The README's `pms-gateway` lines, run for real: each one beside a socat line answers what
/// that socat line answers, and the onboarding example works in five commands.
@Suite(.tags(.process)) struct CLIReadmeTests {
    static func readme() throws -> [String] {
        try String(contentsOfFile: "\(TestPaths.packageRoot)/README.md", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A working directory laid out like the repository under `make run`: `config/` and
    /// `var/run/pms-gateway.sock` (a link to `daemon`'s socket), with `pms-gateway` on PATH.
    static func workingDirectory(for daemon: TestDaemon) throws -> TemporaryDirectory {
        let work = try TemporaryDirectory(prefix: "pgw-readme")
        try work.subdirectory("var/run")
        #expect(symlink(daemon.socketPath, work.file("var/run/pms-gateway.sock")) == 0)
        #expect(symlink(TestPaths.configDirectory, work.file("config")) == 0)
        return work
    }

    /// Runs `script` with sh in `work`, the command line under test first on PATH.
    static func sh(_ script: String, in work: TemporaryDirectory) throws -> ShellCommand.Output {
        let directory = URL(fileURLWithPath: TestPaths.cli).deletingLastPathComponent().path
        return try ShellCommand.run(
            "/bin/sh", ["-c", "cd \(shellQuoted(work.path)) && unset PMS_GATEWAY_SOCKET && \(script)"],
            environment: ["PATH": "\(directory):/usr/bin:/bin"])
    }

    @Test func everySocatLineHasItsCommandLineFormBesideIt() throws {
        let lines = try Self.readme()
        let socat = lines.indices.filter { lines[$0].hasPrefix("echo '") && lines[$0].contains("socat") }
        #expect(socat.count >= 9)
        let daemon = try TestDaemon()
        let work = try Self.workingDirectory(for: daemon)
        for index in socat {
            let command = lines[index + 1]
            guard command.hasPrefix("pms-gateway ") else {
                Issue.record("no pms-gateway line after: \(lines[index])")
                continue
            }
            // The socat line first (so partner.get finds what partner.put wrote), then its twin.
            let viaSocat = try Self.sh(lines[index], in: work)
            let viaCLI = try Self.sh(command, in: work)
            let answer = try JSONValue.parse(viaSocat.stdout)
            let reply = answer.arrayValue?.first ?? answer
            if let error = reply["error"] {
                // The same error, as SPEC 8's one line and status 1 (e.g. policy.derive before
                // any policy exists).
                let code = error["code"]?.serialized() ?? ""
                let name = error["data"]?["errorCode"]?.stringValue ?? ""
                #expect(
                    viaCLI.status == 1 && viaCLI.stderr.hasPrefix("error \(code) \(name): "), "\(command): \(viaCLI)")
                continue
            }
            #expect(viaCLI.status == 0 && viaCLI.stderr.isEmpty, "\(command): \(viaCLI)")
            let result = try JSONValue.parse(viaCLI.stdout)
            let expected = try #require(reply["result"])
            // Results that do not move with time must be the same.
            if expected["uptimeSeconds"] == nil {
                #expect(result == expected, "\(command): \(result.serialized()) vs \(expected.serialized())")
            } else {
                #expect(result["status"] == "ok", "\(command): \(result.serialized())")
            }
        }
    }

    @Test func theOnboardingExampleWorksInFiveCommands() throws {
        let lines = try Self.readme()
        let heading = try #require(lines.firstIndex(of: "### Onboarding a relying party from a PEM file"))
        let start = try #require(lines[heading...].firstIndex(of: "```sh"))
        let end = try #require(lines[(start + 1)...].firstIndex(of: "```"))
        let block = Array(lines[(start + 1)..<end])
        #expect(block.count == 5, "five commands: \(block)")
        #expect(block.allSatisfy { $0.hasPrefix("pms-gateway ") || $0.hasPrefix("CLIENT_ID=$(pms-gateway ") })
        #expect(block[3].contains("--key rp.pem") && block[4].hasPrefix("pms-gateway client get "))

        let daemon = try TestDaemon()
        let work = try Self.workingDirectory(for: daemon)
        try Shell.run(
            "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out \(work.file("rp.pem")) 2>/dev/null")
        let output = try Self.sh("set -e\n" + block.joined(separator: "\n"), in: work)
        #expect(output.status == 0 && output.stderr.isEmpty, "\(output)")
        let client = try JSONValue.parse(try #require(output.stdoutLines.last))
        let keyId = try CLI(socket: daemon.socketPath).json(["key", "client-id", "--key", work.file("rp.pem")])
        #expect(client["clientId"] == keyId["clientId"])
        #expect(client["status"] == "ACTIVE", "\(output.stdout)")
        #expect(client["authPartnerId"] == "rp-1" && client["name"] == "Relying party portal")
        #expect(client["publicKey"]?["kty"] == "RSA" && client["publicKey"]?["d"] == nil)
        #expect(client["claims"]?.arrayValue?.isEmpty == false && client["acrValues"]?.arrayValue?.isEmpty == false)
    }
}
