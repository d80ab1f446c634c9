import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// `pms-gateway`'s exit statuses, error lines, global options, socket lookup, colour rules and
/// `--all`, against real daemons (SPEC 8).
@Suite(.tags(.process)) struct CLIBehaviourTests {
    @Test func daemonErrorsAreOneLineOnStderrAndStatusOne() throws {
        let daemon = try TestDaemon()
        let cli = CLI(socket: daemon.socketPath)
        let output = try cli.pipe(["client", "get", "--client-id", "nope"])
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "error -32001 PMS_ESI_004: Client not exists with given id.\n")
        let invalid = try cli.pipe(["partner", "put", "--partner-id", "p"])
        #expect(invalid.status == 1)
        #expect(invalid.stderrLines.count == 1 && invalid.stderr.hasPrefix("error -32602 PMS_COR_001: "), "\(invalid)")
        let shown = try cli.terminal(["client", "get", "--client-id", "nope"])
        #expect(shown.status == 1)
        #expect(shown.text == "error -32001 PMS_ESI_004: Client not exists with given id.\n")
        #expect(try cli.pipe(["health"]).status == 0)
    }

    /// One client id in 64 begins with `-` (base64url): the README's forms reach the daemon.
    @Test func anIdThatLooksLikeAnOptionReachesTheDaemon() throws {
        let daemon = try TestDaemon()
        let cli = CLI(socket: daemon.socketPath)
        for arguments in [["client", "get", "--client-id=-nope"], ["client", "deactivate", "--", "-nope"]] {
            let output = try cli.pipe(arguments)
            #expect(output.stderr == "error -32001 PMS_ESI_004: Client not exists with given id.\n", "\(arguments)")
        }
    }

    @Test func badUsageExits64() throws {
        let daemon = try TestDaemon()
        let cli = CLI(socket: daemon.socketPath)
        for arguments in [
            ["health", "--bogus"], ["backup"], ["client", "frobnicate"], ["client", "list", "--limit", "many"],
            ["key", "client-id", "--key", "/dev/null", "--public-key", "{}"],
        ] {
            let output = try cli.pipe(arguments)
            #expect(output.status == 64, "\(arguments): \(output)")
            #expect(!output.stderr.isEmpty && output.stdout.isEmpty, "\(arguments): \(output)")
        }
        let tooLong = try ShellCommand.run(
            TestPaths.cli, ["health", "--socket", "/tmp/" + String(repeating: "s", count: 120)])
        #expect(tooLong.status == 64, "\(tooLong)")
        // Journal untouched: nothing reached the daemon.
        #expect(try daemon.client().call("journal.verify")["entries"] == 0)
    }

    @Test func unusableInputExits65() throws {
        let daemon = try TestDaemon()
        let cli = CLI(socket: daemon.socketPath)
        try Shell.run(
            "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-128-cbc -pass pass:secret"
                + " -out \(daemon.directory)/encrypted.pem 2>/dev/null")
        for arguments in [
            ["call", "partner.get", "--params", "[1]"], ["call", "partner.get", "--params", "{"],
            ["call", "partner.get", "--params", "@\(daemon.directory)/missing.json"],
            ["policy", "derive", "--policy", "not json"],
            ["key", "client-id", "--key", "\(daemon.directory)/missing.pem"],
        ] {
            let output = try cli.pipe(arguments)
            #expect(output.status == 65, "\(arguments): \(output)")
            #expect(output.stderrLines.count == 1 && output.stderr.hasPrefix("error: "), "\(arguments): \(output)")
        }
        let encrypted = try cli.pipe(["client", "create", "--key", "\(daemon.directory)/encrypted.pem"])
        #expect(encrypted.status == 65)
        #expect(encrypted.stderr.contains("encrypted"), "\(encrypted)")
        let notAnObject = try cli.pipe(["call", "partner.get", "--params", "-"], input: "[]")
        #expect(notAnObject.status == 65, "\(notAnObject)")
        #expect(try daemon.client().call("journal.verify")["entries"] == 0)
    }

    @Test func nobodyAnsweringExits69() throws {
        let directory = try TemporaryDirectory()
        let missing = try ShellCommand.run(TestPaths.cli, ["health", "--socket", directory.file("none.sock")])
        #expect(missing.status == 69)
        #expect(missing.stderr.hasPrefix("error: nobody answers on \(directory.file("none.sock"))"), "\(missing)")
        // A socket file nobody listens on (a daemon that died without removing it).
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(withUnixSocketAddress(directory.file("stale.sock")) { bind(fd, $0, $1) } == 0)
        close(fd)
        let stale = try ShellCommand.run(TestPaths.cli, ["health", "--socket", directory.file("stale.sock")])
        #expect(stale.status == 69, "\(stale)")
        // A daemon that stopped.
        let daemon = try TestDaemon()
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        #expect(try CLI(socket: daemon.socketPath).pipe(["health"]).status == 69)
    }

    @Test(.enabled(if: getuid() == 0, "needs root to run the command line as another user"))
    func forbiddenExits77() throws {
        let daemon = try TestDaemon(
            overrides: [
                "server": ["socketMode": "0666"], "access": ["rules": [["user": "nobody", "allow": ["partner.get"]]]],
            ])
        let asNobody = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", TestPaths.cli]
        let forbidden = try ShellCommand.run(
            asNobody[0], Array(asNobody.dropFirst()) + ["journal", "list", "--socket", daemon.socketPath])
        #expect(forbidden.status == 77, "\(forbidden)")
        #expect(forbidden.stderr.hasPrefix("error -32010 GW_FORBIDDEN: "), "\(forbidden)")
        let allowed = try ShellCommand.run(
            asNobody[0], Array(asNobody.dropFirst()) + ["health", "--socket", daemon.socketPath])
        #expect(allowed.status == 0, "\(allowed)")
        // A socket whose mode keeps the user out: also "not allowed".
        let closed = try TestDaemon(overrides: ["server": ["socketMode": "0600"]])
        let refused = try ShellCommand.run(
            asNobody[0], Array(asNobody.dropFirst()) + ["health", "--socket", closed.socketPath])
        #expect(refused.status == 77, "\(refused)")
    }

    @Test func globalOptionsWorkBeforeAndAfterTheSubcommand() throws {
        let daemon = try TestDaemon()
        let cli = CLI(socket: "/nonexistent/ignored.sock")
        for arguments in [
            ["--json", "--socket", daemon.socketPath, "health"], ["health", "--json", "--socket", daemon.socketPath],
            ["--socket=\(daemon.socketPath)", "system", "--json", "health"],
        ] {
            // `CLI` appends its own `--socket`; run the binary directly on a terminal instead.
            let command = ([TestPaths.cli] + arguments).map(shellQuoted).joined(separator: " ")
            let output = try ShellCommand.run("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"])
            #expect(output.status == 0, "\(arguments): \(output)")
            let text = output.stdout.replacing("\r\n", with: "\n")
            #expect(try JSONValue.parse(text)["status"] == "ok", "\(arguments): --json wins on a terminal: \(text)")
        }
        _ = cli
    }

    @Test func theSocketComesFromTheFlagTheEnvironmentOrTheWorkingDirectory() throws {
        let daemon = try TestDaemon()
        // $PMS_GATEWAY_SOCKET without --socket; --socket wins over it.
        let fromEnvironment = try ShellCommand.run(
            TestPaths.cli, ["health"], environment: ["PMS_GATEWAY_SOCKET": daemon.socketPath])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
        let flagWins = try ShellCommand.run(
            TestPaths.cli, ["health", "--socket", daemon.socketPath],
            environment: ["PMS_GATEWAY_SOCKET": "/nonexistent"])
        #expect(flagWins.status == 0, "\(flagWins)")
        let wrongEnvironment = try ShellCommand.run(
            TestPaths.cli, ["health"], environment: ["PMS_GATEWAY_SOCKET": daemon.file("none.sock")])
        #expect(wrongEnvironment.status == 69 && wrongEnvironment.stderr.contains(daemon.file("none.sock")))
        // `make run`'s layout: var/run/pms-gateway.sock of the working directory, when the
        // system path does not exist on this machine.
        if access("/run/pms-gateway/pms-gateway.sock", F_OK) != 0 {
            let work = try TemporaryDirectory()
            try work.subdirectory("var/run")
            #expect(symlink(daemon.socketPath, work.file("var/run/pms-gateway.sock")) == 0)
            let fromDirectory = try ShellCommand.sh(
                "cd \(work.path) && env -u PMS_GATEWAY_SOCKET \(shellQuoted(TestPaths.cli)) health")
            #expect(fromDirectory.status == 0, "\(fromDirectory)")
            let elsewhere = try ShellCommand.sh(
                "cd / && env -u PMS_GATEWAY_SOCKET \(shellQuoted(TestPaths.cli)) health")
            #expect(elsewhere.status == 69 && elsewhere.stderr.contains("var/run/pms-gateway.sock"), "\(elsewhere)")
        }
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let daemon = try TestDaemon()
        let cli = CLI(socket: daemon.socketPath)
        #expect(try cli.terminal(["health"]).hasColour)
        let plain = try cli.terminal(["health"], noColor: true)
        #expect(!plain.hasColour && plain.status == 0)
        #expect(plain.lines.first?.hasPrefix("status ") == true, "\(plain)")
        let piped = try cli.pipe(["health"], environment: ["TERM": "xterm"])
        #expect(!piped.stdout.contains("\u{1B}"))
    }

    @Test func allFollowsEveryCursorIntoOneDocument() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try ClientFlowTests.seed(client)
        for index in 1...5 { _ = try client.call("client.create", ClientFlowTests.create(key: FakeKeys.rsa(index))) }
        _ = try client.call("partner.put", Fixtures.partner("esignet", type: "MISP_Partner"))
        _ = try client.call("license.generate", ["mispId": "esignet"])
        _ = try client.call("partner.put", Fixtures.partner("esignet-2", type: "MISP_Partner"))
        _ = try client.call("license.generate", ["mispId": "esignet-2"])
        let cli = CLI(socket: daemon.socketPath)

        let page = try cli.json(["client", "list", "--limit", "2"])
        #expect(page["clients"]?.arrayValue?.count == 2 && page["nextCursor"]?.stringValue != nil)
        let all = try cli.json(["client", "list", "--limit", "2", "--all"])
        let everyClient = try client.call("client.list", ["limit": 500])
        #expect(all == everyClient, "the same document as one page holding everything")
        #expect(all.objectValue?.keys == ["clients", "nextCursor"] && all["nextCursor"] == .null)
        #expect(all["clients"]?.arrayValue?.count == 5)
        let shown = try cli.terminal(["client", "list", "--limit", "2", "--all"])
        #expect(shown.lines.count == 1 + 5 + 1, "\(shown)")
        #expect(shown.lines.last == "5 clients")
        let partial = try cli.terminal(["client", "list", "--limit", "2"])
        #expect(partial.lines.last?.hasPrefix("2 clients; more with --cursor ") == true, "\(partial)")

        let journal = try cli.json(["journal", "list", "--limit", "2", "--all"])
        let everyEntry = try client.call("journal.list", ["limit": 1000])
        #expect(journal["entries"] == everyEntry["entries"] && journal["nextAfterSeq"] == .null)
        #expect((journal["entries"]?.arrayValue?.count ?? 0) > 8)

        let outbox = try cli.json(["outbox", "list", "--limit", "3", "--all"])
        let everyRow = try client.call("outbox.list", ["limit": 1000])
        #expect(outbox == everyRow, "outbox pages have no cursor member; the whole is one page's shape")
        #expect((outbox["entries"]?.arrayValue?.count ?? 0) >= 10)

        let licenses = try cli.json(["license", "list", "--limit", "1", "--all"])
        #expect(licenses["licenses"]?.arrayValue?.count == 2 && licenses["nextCursor"] == .null)
    }
}

extension TestDaemon {
    /// A path in the daemon's directory.
    func file(_ name: String) -> String { scratch.file(name) }
}
