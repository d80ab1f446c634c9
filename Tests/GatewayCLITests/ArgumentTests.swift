import ArgumentParser
import GatewayJSON
import Testing

@testable import GatewayCLI

/// How command lines become params, sockets and output styles, in process (SPEC 8).
@Suite struct ArgumentTests {
    @Test func globalOptionsMoveBehindTheSubcommandWhereverTheyStand() {
        #expect(GlobalOptions.hoisted(["--json", "client", "list"]) == ["client", "list", "--json"])
        #expect(
            GlobalOptions.hoisted(["--socket", "/s", "client", "--json", "get", "--client-id", "x"])
                == ["client", "get", "--client-id", "x", "--socket", "/s", "--json"])
        #expect(GlobalOptions.hoisted(["--socket=/s", "health"]) == ["health", "--socket=/s"])
        // After `--` everything is an argument, even a name that looks like a global option.
        #expect(
            GlobalOptions.hoisted(["--json", "call", "--", "--socket"]) == ["call", "--json", "--", "--socket"])
    }

    @Test func socketResolutionFollowsTheSpecsOrder() {
        let none: (String) -> String? = { _ in nil }
        let variable: (String) -> String? = { $0 == "PMS_GATEWAY_SOCKET" ? "/env.sock" : nil }
        let empty: (String) -> String? = { $0 == "PMS_GATEWAY_SOCKET" ? "" : nil }
        #expect(
            SocketLocation.resolve(option: "/opt.sock", environment: variable, exists: { _ in true }) == "/opt.sock")
        #expect(SocketLocation.resolve(option: nil, environment: variable, exists: { _ in true }) == "/env.sock")
        #expect(
            SocketLocation.resolve(option: nil, environment: empty, exists: { $0 == SocketLocation.systemPath })
                == "/run/pms-gateway/pms-gateway.sock")
        #expect(
            SocketLocation.resolve(option: nil, environment: none, exists: { _ in false }) == "var/run/pms-gateway.sock"
        )
    }

    @Test func outputIsJSONOffATerminalAndColourNeverWithNoColor() {
        let plain: (String) -> String? = { $0 == "TERM" ? "xterm" : nil }
        let noColor: (String) -> String? = { $0 == "NO_COLOR" ? "" : nil }
        let dumb: (String) -> String? = { $0 == "TERM" ? "dumb" : nil }
        #expect(
            OutputStyle.choose(jsonFlag: false, stdoutIsTerminal: true, environment: plain)
                == OutputStyle(json: false, colour: true, prettyJSON: true))
        #expect(
            OutputStyle.choose(jsonFlag: false, stdoutIsTerminal: false, environment: plain)
                == OutputStyle(json: true, colour: false, prettyJSON: false))
        #expect(OutputStyle.choose(jsonFlag: true, stdoutIsTerminal: true, environment: plain).json)
        #expect(!OutputStyle.choose(jsonFlag: false, stdoutIsTerminal: true, environment: noColor).colour)
        #expect(!OutputStyle.choose(jsonFlag: false, stdoutIsTerminal: true, environment: dumb).colour)
    }

    @Test func errorsMapToSysexitsInOnePlace() {
        let notFound = CLIError.daemon(
            code: -32001, errorCode: "PMS_ESI_004", message: "Client not exists with given id.")
        #expect(notFound.exitCode == 1)
        #expect(notFound.line == "error -32001 PMS_ESI_004: Client not exists with given id.")
        #expect(CLIError.daemon(code: -32010, errorCode: "GW_FORBIDDEN", message: "forbidden").exitCode == 77)
        #expect(CLIError.usage("x").exitCode == 64)
        #expect(CLIError.data("x").exitCode == 65)
        #expect(CLIError.unavailable("x").exitCode == 69)
        #expect(CLIError.permission("x").exitCode == 77)
    }

    /// The params a parsed command line sends: `--params` first, a flag wins, lists repeat
    /// the singular, object flags take JSON.
    static func params(_ arguments: [String]) throws -> JSONObject {
        let command = try PMSGateway.parseAsRoot(GlobalOptions.hoisted(arguments))
        let method = try #require(command as? any MethodCommand, "\(arguments) is not a method command")
        return try method.params()
    }

    @Test func flagsWinOverParamsAndListsRepeatTheSingular() throws {
        let params = try Self.params([
            "client", "create", "--params", #"{"name":"from params","policyId":"p-1","grantTypes":["x"]}"#,
            "--name", "from flag", "--redirect-uri", "https://a.example/cb", "--redirect-uri", "myapp://cb",
            "--client-name-lang-map", #"{"eng":"RP"}"#, "--wait-seconds", "3",
        ])
        #expect(params["name"] == "from flag")
        #expect(params["policyId"] == "p-1")
        #expect(params["grantTypes"] == ["x"], "a list flag not given leaves --params' list")
        #expect(params["redirectUris"] == ["https://a.example/cb", "myapp://cb"])
        #expect(params["clientNameLangMap"] == ["eng": "RP"])
        #expect(params["waitSeconds"] == 3)
        #expect(try Self.params(["partner", "map-policy", "--partner-id", "a"]) == ["partnerId": "a"])
    }

    @Test func paramsThatAreNotAnObjectAreADataError() throws {
        for bad in ["[1]", "{", "\"text\""] {
            do {
                _ = try Self.params(["journal", "list", "--params", bad])
                Issue.record("--params \(bad) was accepted")
            } catch let error as CLIError {
                #expect(error.exitCode == 65, "\(error)")
            }
        }
        do {
            _ = try Self.params(["policy", "derive", "--policy", "@/nonexistent/policy.json"])
            Issue.record("an unreadable @FILE was accepted")
        } catch let error as CLIError {
            #expect(error.exitCode == 65)
        }
    }

    @Test func keyAndPublicKeyTogetherAreAUsageError() throws {
        do {
            _ = try Self.params(["key", "client-id", "--key", "/dev/null", "--public-key", "{}"])
            Issue.record("both were accepted")
        } catch let error as CLIError {
            #expect(error.exitCode == 64)
        }
    }

    @Test func namesFollowTheSpec() {
        #expect(MethodName.subcommand("partner.mapPolicy") == "partner map-policy")
        #expect(MethodName.subcommand("license.exportProperties") == "license export-properties")
        #expect(MethodName.subcommand("key.clientId") == "key client-id")
        #expect(MethodName.flag(param: "redirectUris", isList: true) == "--redirect-uri")
        #expect(MethodName.flag(param: "authPartnerId", isList: false) == "--auth-partner-id")
    }
}
