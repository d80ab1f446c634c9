import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// Every `pms-gateway` subcommand against a real daemon (SPEC 8): JSON (the result, one
/// document) when stdout is not a terminal, aligned tables with colour on a pseudo-terminal.
@Suite(.tags(.process)) struct CLICommandTests {
    /// Runs one subcommand both ways and records that it was covered.
    final class Scenario {
        let cli: CLI
        var covered: Set<String> = []

        init(cli: CLI) {
            self.cli = cli
        }

        /// `pipe` with stdout a file, then `terminal` (the same arguments unless given: a
        /// mutation gets other data so both runs succeed) on a pseudo-terminal. The table must
        /// show each of `table` and some colour when `coloured`; `check` judges the JSON.
        @discardableResult
        func both(
            _ pipe: [String], terminal: [String]? = nil, table: [String], coloured: Bool = false,
            sourceLocation: SourceLocation = #_sourceLocation, check: (JSONValue) throws -> Bool
        ) throws -> JSONValue {
            covered.insert(Self.commandPath(pipe))
            let result = try cli.json(pipe)
            #expect(try check(result), "\(pipe): \(result.serialized())", sourceLocation: sourceLocation)
            let shown = try cli.terminal(terminal ?? pipe)
            #expect(shown.status == 0, "\(terminal ?? pipe): \(shown)", sourceLocation: sourceLocation)
            #expect(!shown.text.hasPrefix("{"), "a table, not JSON: \(shown)", sourceLocation: sourceLocation)
            for expected in table {
                #expect(shown.text.contains(expected), "\(expected) in \(shown.text)", sourceLocation: sourceLocation)
            }
            if coloured { #expect(shown.hasColour, "\(shown.raw)", sourceLocation: sourceLocation) }
            return result
        }

        /// The subcommand's words (and positional arguments): the arguments before the first flag.
        static func commandPath(_ arguments: [String]) -> String {
            arguments.prefix { !$0.hasPrefix("-") }.joined(separator: " ")
        }
    }

    static func isTable(_ text: String, header: [String]) -> Bool {
        guard let first = text.split(separator: "\n").first else { return false }
        var rest = Substring(first)
        for column in header {
            guard let range = rest.range(of: column) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    @Test func everySubcommandOnATerminalAndInAPipe() throws {
        let directory = try TemporaryDirectory()
        let mosip = try DeliveryCrashTests.Receiver(
            directory: directory, script: "fake_mosip.py", arguments: ["unused-secret"])
        let daemon = try TestDaemon(
            overrides: ["esignet": ["baseURL": .string("http://127.0.0.1:\(mosip.port)")]], directory: directory)
        let run = Scenario(cli: CLI(socket: daemon.socketPath))
        try Shell.run(
            """
            cd \(directory.path) && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null \
            && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
            """)
        try directory.write("rfc7517.jwk", ClientFlowTests.rfc7517Key.serialized())
        let authPolicy = "@" + TestPaths.reference("sample-auth-policy.json")

        // System.
        for health in [["health"], ["system", "health"]] {
            try run.both(health, table: ["status", "ok", "journalHead"], coloured: true) { $0["status"] == "ok" }
        }
        for discover in [["methods"], ["rpc", "discover"]] {
            let document = try run.both(discover, table: ["partner.mapPolicy", "partner map-policy"]) {
                $0["methods"]?.arrayValue?.isEmpty == false
            }
            #expect(document["openrpc"] != nil)
            #expect(Self.isTable(try run.cli.terminal(discover).text, header: ["METHOD", "COMMAND", "PARAMS"]))
        }

        // Partners and policies: the terminal run of a mutation writes other records.
        let partner = [
            "partner", "put", "--partner-type", "Auth_Partner", "--name", "Relying party", "--status", "ACTIVE",
        ]
        try run.both(
            partner + ["--partner-id", "rp-1"], terminal: partner + ["--partner-id", "rp-2"],
            table: ["partnerId  rp-2", "ACTIVE"]
        ) { $0 == ["partnerId": "rp-1", "status": "ACTIVE"] }
        let misp = ["partner", "put", "--partner-type", "MISP_Partner", "--name", "eSignet", "--status", "ACTIVE"]
        try run.both(misp + ["--partner-id", "esignet"], terminal: misp + ["--partner-id", "esignet-2"], table: []) {
            $0["partnerId"] == "esignet"
        }
        try run.both(["partner", "get", "--partner-id", "rp-1"], table: ["partnerType", "Auth_Partner"]) {
            $0["partnerId"] == "rp-1" && $0["name"] == "Relying party"
        }
        let policy = [
            "policy", "put", "--policy-type", "Auth", "--name", "Auth policy", "--description", "For relying parties",
            "--status", "ACTIVE", "--valid-from", "2026-01-01T00:00:00.000Z", "--valid-to", "2036-01-01T00:00:00.000Z",
            "--policy", authPolicy,
        ]
        try run.both(
            policy + ["--policy-id", "auth-1"], terminal: policy + ["--policy-id", "auth-2"],
            table: ["policyId  auth-2"]
        ) { $0 == ["policyId": "auth-1", "status": "ACTIVE"] }
        try run.both(
            ["policy", "get", "--policy-id", "auth-1"], table: ["policy.allowedKycAttributes", "policyType"]
        ) { $0["policy"]?["allowedAuthTypes"] != nil }
        try run.both(["policy", "derive", "--policy-id", "auth-1"], table: ["claims", "birthdate, email"]) {
            $0["claims"]?.arrayValue?.contains("email") == true
        }
        let mapping = ["partner", "map-policy", "--status", "approved"]
        try run.both(
            mapping + ["--partner-id", "rp-1", "--policy-id", "auth-1"],
            terminal: mapping + ["--partner-id", "rp-2", "--policy-id", "auth-2"], table: ["approved"], coloured: true
        ) { $0["status"] == "approved" }

        // Keys and clients. eSignet (fake_mosip.py) refuses every client named REJECT-ME, which
        // leaves rejected outbox rows for `outbox retry` below.
        try run.both(
            ["key", "client-id", "--key", directory.file("rsa.pem")],
            terminal: ["key", "client-id", "--public-key", "@" + directory.file("rfc7517.jwk")],
            table: ["clientId  r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs", "bits      2048"]
        ) { $0["kty"] == "RSA" && $0["clientId"]?.stringValue?.count == 43 }
        let create = [
            "client", "create", "--name", "REJECT-ME portal", "--policy-id", "auth-1", "--auth-partner-id", "rp-1",
            "--logo-uri", "https://rp.example.org/logo.png", "--redirect-uri", "https://rp.example.org/cb",
            "--redirect-uri", "io.example.app://cb", "--grant-type", "authorization_code",
            "--client-auth-method", "private_key_jwt",
        ]
        // Fresh keys: one id in 64 starts with "-", so ids go as `--client-id=ID` and after `--`.
        let ecId = try run.cli.json(["key", "client-id", "--key", directory.file("ec.pem")])["clientId"]
        let rsaId = try run.cli.json(["key", "client-id", "--key", directory.file("rsa.pem")])["clientId"]
        let first = try #require(ecId?.stringValue)
        let second = try #require(rsaId?.stringValue)
        try run.both(
            create + ["--key", directory.file("ec.pem")], terminal: create + ["--key", directory.file("rsa.pem")],
            table: ["clientId  \(second)", "status    ACTIVE"], coloured: true
        ) { $0 == ["clientId": .string(first), "status": "ACTIVE"] }
        try run.both(["client", "get", "--client-id=" + first], table: ["publicKey.crv", "P-256", "redirectUris"]) {
            $0["publicKey"]?["d"] == nil && $0["publicKey"]?["crv"] == "P-256"
                && $0["redirectUris"] == ["https://rp.example.org/cb", "io.example.app://cb"]
        }
        let listed = try run.both(["client", "list"], table: [first, second, "REJECT-ME portal"]) {
            $0["clients"]?.arrayValue?.count == 2 && $0["nextCursor"] == .null
        }
        #expect(listed["clients"]?.arrayValue?.first?["clientId"] == .string(first))
        #expect(Self.isTable(try run.cli.terminal(["client", "list"]).text, header: ["CLIENT ID", "NAME", "STATUS"]))
        let update = [
            "client", "update", "--client-name", "Portal", "--status", "ACTIVE", "--logo-uri",
            "https://rp.example.org/logo.png", "--redirect-uri", "https://rp.example.org/cb", "--grant-type",
            "authorization_code", "--client-auth-method", "private_key_jwt",
        ]
        try run.both(
            update + ["--client-id=" + first], terminal: update + ["--client-id=" + second],
            table: ["clientId  \(second)"]
        ) { $0 == ["clientId": .string(first), "status": "ACTIVE"] }
        #expect(try run.cli.json(["client", "get", "--client-id=" + first])["name"] == "Portal")

        // Outbox: both creates (and updates) were refused by eSignet; retry one row each way.
        var rejected: [JSONValue] = []
        try Poll.wait(for: "eSignet's refusals", timeout: .seconds(30)) {
            rejected = try run.cli.json(["outbox", "list", "--status", "rejected"])["entries"]?.arrayValue ?? []
            return rejected.count >= 2
        }
        try run.both(["outbox", "list"], table: ["rejected", "OIDC_CLIENT_CREATED", "esignet"], coloured: true) {
            ($0["entries"]?.arrayValue?.count ?? 0) >= 4
        }
        #expect(
            Self.isTable(try run.cli.terminal(["outbox", "list"]).text, header: ["SEQ", "TARGET", "TOPIC", "STATUS"]))
        let seqs = rejected.compactMap { $0["seq"]?.intValue }.map(String.init)
        try run.both(
            ["outbox", "retry", "--seq", seqs[0]], terminal: ["outbox", "retry", "--seq", seqs[1]], table: []
        ) { $0.objectValue != nil }

        // Deactivation keeps everything else; a second one is refused (PMS_ESI_008).
        try run.both(
            ["client", "deactivate", "--", first], terminal: ["client", "deactivate", "--", second],
            table: ["clientId  \(second)", "INACTIVE"], coloured: true
        ) { $0 == ["clientId": .string(first), "status": "INACTIVE"] }
        let stored = try run.cli.json(["client", "get", "--client-id=" + first])
        #expect(stored["status"] == "INACTIVE" && stored["name"] == "Portal")
        #expect(stored["redirectUris"] == ["https://rp.example.org/cb"])

        // Licenses.
        let license = try run.both(
            ["license", "generate", "--misp-id", "esignet"],
            terminal: ["license", "generate", "--misp-id", "esignet-2"],
            table: ["providerId        esignet-2", "licenseKeyStatus  Active"]
        ) { $0["licenseKey"]?.stringValue?.count == 50 }
        let key = try #require(license["licenseKey"]?.stringValue)
        try run.both(["license", "get", "--misp-id", "esignet"], table: [key]) { $0["licenseKey"] == .string(key) }
        try run.both(["license", "list"], table: ["esignet-2", String(key.suffix(4))]) {
            $0["licenses"]?.arrayValue?.count == 2
        }
        #expect(
            Self.isTable(
                try run.cli.terminal(["license", "list"]).text, header: ["PROVIDER ID", "LICENSE KEY STATUS"]))
        try run.both(
            ["license", "validate", "--license-key", key], table: ["valid", "true", "esignet"], coloured: true
        ) {
            $0["valid"] == true && $0["mispId"] == "esignet"
        }
        try run.both(
            ["license", "export-properties", "--misp-id", "esignet"], table: ["mosip.esignet.misp.license.key"]
        ) {
            $0["property"] == "mosip.esignet.misp.license.key"
        }
        let deactivate = ["license", "update", "--license-key-status", "De-active"]
        let otherKey = try #require(try run.cli.json(["license", "get", "--misp-id", "esignet-2"])["licenseKey"])
        try run.both(
            deactivate + ["--provider-id", "esignet", "--license-key", key],
            terminal: deactivate + ["--provider-id", "esignet-2", "--license-key", otherKey.stringValue ?? ""],
            table: ["de-active"], coloured: true
        ) { $0["licenseKeyStatus"] == "de-active" }

        // Journal, preflight, backup.
        try run.both(["journal", "list"], table: ["partner.put", "client.create", "rp-1"]) {
            ($0["entries"]?.arrayValue?.count ?? 0) > 10
        }
        #expect(Self.isTable(try run.cli.terminal(["journal", "list"]).text, header: ["SEQ", "AT", "METHOD"]))
        try run.both(["journal", "verify"], table: ["ok", "true", "headHash"], coloured: true) { $0["ok"] == true }
        for preflight in [["preflight"], ["system", "preflight"]] {
            let checks = try run.both(preflight, table: ["mappings", "outbox", "FIX"], coloured: true) {
                $0["checks"]?.arrayValue?.isEmpty == false
            }
            #expect(checks["ok"] != nil)
        }
        try run.both(
            ["system", "backup", "--path", "one.sqlite3"], terminal: ["system", "backup", "--path", "two.sqlite3"],
            table: ["two.sqlite3", "bytes"]
        ) { $0["path"]?.stringValue?.hasSuffix("one.sqlite3") == true }
        try run.both(["backup", "three.sqlite3"], terminal: ["backup", "four.sqlite3"], table: ["four.sqlite3"]) {
            $0["journalHead"]?.intValue != nil
        }

        // `call`: any method, printed like its own subcommand.
        try run.both(
            ["call", "partner.get", "--params", #"{"partnerId":"rp-2"}"#], table: ["partnerId", "rp-2"]
        ) { $0["partnerId"] == "rp-2" }

        // Metrics: the exposition text itself for `metrics` (for promtool and pipes), the
        // method's JSON for `system metrics`.
        for metrics in [["metrics"], ["system", "metrics"]] {
            run.covered.insert(metrics.joined(separator: " "))
            let text = try run.cli.pipe(metrics)
            #expect(text.status == 0, "\(text)")
            #expect(
                metrics == ["metrics"] ? text.stdout.hasPrefix("# TYPE pmsgw_") : text.stdout.hasPrefix("{\"text\":"))
            let shown = try run.cli.terminal(metrics)
            #expect(shown.status == 0 && shown.text.contains("# TYPE pmsgw_requests_total"), "\(shown)")
        }

        // Nothing is left out: every leaf subcommand of the binary was run above.
        // (A covered run's words may go on with positional arguments: `backup NAME`.)
        let missed = try CLI.commandTree().keys.filter { leaf in
            !run.covered.contains { $0 == leaf || $0.hasPrefix(leaf + " ") }
        }
        #expect(missed.isEmpty, "not run: \(missed.sorted())")
    }

    /// The subcommands cannot drift from the daemon: every method of `rpc.discover` has its
    /// subcommand (SPEC 8's naming) with a flag for each param, lists by their singular.
    @Test func everyMethodHasItsSubcommandAndEveryParamItsFlag() throws {
        let daemon = try TestDaemon()
        let document = try CLI(socket: daemon.socketPath).json(["methods"])
        let leaves = try CLI.commandTree()
        let methods = try #require(document["methods"]?.arrayValue)
        #expect(methods.count >= 25)
        for method in methods {
            let name = try #require(method["name"]?.stringValue)
            let path = name.split(separator: ".").map { kebab(String($0)) }.joined(separator: " ")
            guard let flags = leaves[path] else {
                Issue.record("\(name) has no subcommand `\(path)`")
                continue
            }
            #expect(flags.isSuperset(of: ["params", "socket", "json"]), "\(path): \(flags.sorted())")
            for param in method["params"]?.arrayValue ?? [] {
                let paramName = try #require(param["name"]?.stringValue)
                var flag = kebab(paramName)
                if param["schema"]?["type"] == "array" { flag = String(flag.dropLast()) }
                #expect(flags.contains(flag), "\(path) lacks --\(flag) for \(paramName): \(flags.sorted())")
            }
        }
        // Every list method with a cursor follows it with --all; key-taking methods take --key.
        for path in ["client list", "journal list", "outbox list", "license list"] {
            #expect(leaves[path]?.contains("all") == true, "\(path)")
        }
        for path in ["client create", "key client-id"] { #expect(leaves[path]?.contains("key") == true, "\(path)") }
    }

    /// An independent spelling of SPEC 8's kebab-case (not the command line's own helper).
    func kebab(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            result += character.isUppercase ? "-" + character.lowercased() : String(character)
        }
    }
}
