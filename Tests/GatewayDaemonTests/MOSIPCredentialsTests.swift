import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 7.1 through a real daemon: the auth manager's token reaches eSignet (`Bearer`) and the hub
/// (the `Authorization` cookie), the secret comes from `$CREDENTIALS_DIRECTORY` and is read again
/// after SIGHUP, and neither a token nor the secret appears in the logs, the journal, the outbox,
/// `outbox.list`, `system.health` or the database file.
@Suite(.tags(.process)) struct MOSIPCredentialsTests {
    static let oldSecret = "pms-secret-ONE-7f3a2c"
    static let newSecret = "pms-secret-TWO-91bc4e"

    @Test func tokensReachMOSIPNeverLeakAndARotatedSecretIsReadAfterSIGHUP() throws {
        let directory = try TemporaryDirectory()
        let mosip = try DeliveryCrashTests.Receiver(
            directory: directory, script: "fake_mosip.py", arguments: [Self.oldSecret])
        let base = "http://127.0.0.1:\(mosip.port)"
        let credentials = directory.file("credentials")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try (Self.oldSecret + "\n").write(toFile: "\(credentials)/pms-secret", atomically: true, encoding: .utf8)
        let overrides: [String: JSONValue] = [
            "esignet": ["baseURL": .string(base)], "ida": ["websubHubURL": .string("\(base)/hub")],
            "auth": [
                "kind": "authmanager", "tokenURL": .string("\(base)/v1/authmanager/authenticate/clientidsecretkey"),
                "clientId": "mosip-pms-client", "secretFile": "pms-secret", "appId": "partner",
            ],
        ]
        let daemon = try TestDaemon(
            overrides: overrides, environment: ["CREDENTIALS_DIRECTORY": credentials], directory: directory)
        let client = try daemon.client()
        try ClientFlowTests.seed(client)
        let created = try client.call("client.create", ClientFlowTests.create(key: FakeKeys.rsa(1)))
        let clientId = try #require(created["clientId"])
        #expect(Poll.until(timeout: .seconds(30)) { (try? client.call("system.health")["outboxPending"]) == 0 })

        let first = try mosip.requests()
        let esignet = try #require(first.first { $0["path"] == "/v1/esignet/client-mgmt/oidc-client" })
        let token = try #require(esignet["auth"]?.stringValue?.dropFirst("Bearer ".count)).description
        #expect(token.split(separator: ".").count == 3, "the auth manager's JWT, as eSignet gets it")
        let hub = first.filter { $0["path"]?.stringValue?.hasPrefix("/hub") == true }
        #expect(hub.count == 2, "a registration, then the publish")
        #expect(hub.first?["body"] == "hub.mode=register&hub.topic=OIDC_CLIENT_CREATED")
        #expect(hub.allSatisfy { $0["cookie"]?.stringValue?.hasPrefix("Authorization=") == true })
        let health = try client.call("system.health")["auth"]
        #expect(health?["kind"] == "authmanager" && health?["lastError"] == .null)

        // The secret is rotated at the auth manager and in the file; until SIGHUP the daemon still
        // holds the old one, and the fetch fails without saying what the secret was.
        _ = try Shell.run(
            "python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], sys.argv[2].encode())' "
                + "'\(base)/control' '{\"secret\": \"\(Self.newSecret)\"}'")
        try (Self.newSecret + "\n").write(toFile: "\(credentials)/pms-secret", atomically: true, encoding: .utf8)
        let update: JSONValue = [
            "clientId": clientId, "clientName": "Renamed", "logoUri": "https://rp.example.org/logo.png",
            "redirectUris": ["https://rp.example.org/cb"], "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"], "status": "ACTIVE",
        ]
        _ = try client.call("client.update", update)
        #expect(
            Poll.until(timeout: .seconds(30)) {
                (try? client.call("system.health")["auth"]?["lastError"])
                    == "token fetch failed: auth manager errors KER-ATH-401"
            })
        daemon.signal(SIGHUP)
        #expect(Poll.until(timeout: .seconds(30)) { (try? client.call("system.health")["outboxPending"]) == 0 })
        #expect(try client.call("system.health")["auth"]?["lastError"] == .null)

        // Nothing secret anywhere a person or a backup can read.
        let tokens = try mosip.requests().compactMap { $0["auth"]?.stringValue?.dropFirst("Bearer ".count) }
        #expect(Set(tokens).count >= 2, "a new token after the rotation")
        let secrets = [Self.oldSecret, Self.newSecret] + tokens.map(String.init)
        let places: [(String, String)] = [
            ("stderr", daemon.stderr()),
            ("journal", try client.call("journal.list", ["limit": 1000]).serialized()),
            ("outbox.list", try client.call("outbox.list", ["limit": 1000]).serialized()),
            ("health", try client.call("system.health").serialized()),
        ]
        for (place, text) in places {
            for secret in secrets { #expect(!text.contains(secret), "\(place) holds a secret") }
        }
        for file in [daemon.databasePath, daemon.databasePath + "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            for secret in secrets { #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds a secret") }
        }
    }
}
