import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// The outbox survives a SIGKILL during delivery (issue 6), with MOSIP's tokens in use or not
/// (issue 11): after a restart every row reaches its receiver, and the only rows received twice
/// are the ones that were in flight at the kill.
@Suite(.tags(.process)) struct DeliveryCrashTests {
    /// A local receiver standing in for eSignet and IDA's hub: `recording_receiver.py` (slow by
    /// `arguments`' delay) or another script of `Tests/Fixtures` that logs the same way.
    final class Receiver {
        let process: ChildProcess
        let log: String
        let port: Int

        init(directory: TemporaryDirectory, script: String = "recording_receiver.py", arguments: [String]) throws {
            log = directory.file("received.ndjson")
            let portFile = directory.file("receiver.port")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process = try ChildProcess(
                executable: "/usr/bin/python3",
                arguments: [TestPaths.fixture(script), log] + arguments,
                environment: ChildProcess.environment([:]), stdout: .file(portFile)
            )
            var port: Int?
            Poll.until {
                port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap {
                    Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                return port != nil
            }
            guard let port else { throw TestFailure("receiver did not start") }
            self.port = port
        }

        /// The requests logged so far. A line still being written (a request the killed daemon left
        /// on the wire is logged whenever the receiver gets to it) is not one yet.
        func requests() throws -> [JSONValue] {
            let text = try String(contentsOfFile: log, encoding: .utf8)
            let complete = text.lastIndex(of: "\n").map { text[...$0] } ?? ""
            return try complete.split(separator: "\n").map { try JSONValue.parse(String($0)) }
        }

        deinit {
            process.signal(SIGKILL)
            _ = process.waitForExit(timeout: .seconds(5))
        }
    }

    @Test(arguments: [false, true], TestStore.allCases)
    func everyRowArrivesAfterAKillAndOnlyInFlightRowsTwice(tokens: Bool, store: TestStore) async throws {
        try await onOwnThread {
            let directory = try TemporaryDirectory()
            let receiver = try Receiver(directory: directory, arguments: ["0.05"])
            let base = "http://127.0.0.1:\(receiver.port)"
            // A short lease: on PostgreSQL the dead daemon's claimed rows wait it out before the
            // restarted daemon may send them.
            var overrides: [String: JSONValue] = [
                "esignet": ["baseURL": .string(base)], "ida": ["websubHubURL": .string("\(base)/hub")],
                "outbox": ["leaseSeconds": 2],
            ]
            if tokens {
                try "pms-secret\n".write(toFile: directory.file("pms-secret"), atomically: true, encoding: .utf8)
                overrides["auth"] = [
                    "kind": "authmanager", "tokenURL": .string("\(base)/v1/authmanager/authenticate/clientidsecretkey"),
                    "clientId": "mosip-pms-client", "secretFile": "pms-secret", "appId": "partner",
                ]
            }
            let daemon = try TestDaemon(overrides: overrides, directory: directory, store: store)
            let client = try daemon.client()
            try ClientFlowTests.seed(client)
            var clientIds: [String] = []
            for index in 0..<40 {
                let created = try client.call("client.create", ClientFlowTests.create(key: FakeKeys.rsa(index)))
                clientIds.append(try #require(created["clientId"]?.stringValue))
            }
            // Let some deliveries finish and others be in flight, then kill.
            try Poll.wait(for: "ten deliveries", timeout: .seconds(30)) { (try? receiver.requests().count) ?? 0 >= 10 }
            daemon.signal(SIGKILL)
            _ = try daemon.waitForExit()
            let beforeRestart = try receiver.requests().count

            let restarted = try TestDaemon(
                overrides: overrides, directory: directory, store: store, sharing: daemon.postgres)
            let restartedClient = try restarted.client()
            try Poll.wait(for: "delivery after the restart", timeout: .seconds(60)) {
                try restartedClient.call("system.health")["outboxPending"] == 0
            }

            let requests = try receiver.requests()
            var esignetCreates: [String: Int] = [:]
            var idaEvents: [String: Int] = [:]
            for request in requests {
                if tokens {
                    let credential = request["path"]?.stringValue?.hasPrefix("/hub") == true ? "cookie" : "auth"
                    #expect(request[credential]?.stringValue?.contains("eyJhbGciOiJub25lIn0.") == true)
                }
                let body = try JSONValue.parse(request["body"]?.stringValue ?? "")
                if request["path"]?.stringValue == "/v1/esignet/client-mgmt/oidc-client" {
                    #expect(request["method"] == "POST")
                    esignetCreates[body["request"]?["clientId"]?.stringValue ?? "?", default: 0] += 1
                } else {
                    #expect(request["path"]?.stringValue == "/hub?hub.mode=publish&hub.topic=OIDC_CLIENT_CREATED")
                    idaEvents[body["event"]?["data"]?["clientData"]?["clientId"]?.stringValue ?? "?", default: 0] += 1
                }
            }
            #expect(Set(esignetCreates.keys) == Set(clientIds), "every eSignet create arrived")
            #expect(Set(idaEvents.keys) == Set(clientIds), "every IDA event arrived")
            let duplicates = esignetCreates.values.filter { $0 > 1 }.count + idaEvents.values.filter { $0 > 1 }.count
            print(
                "delivery crash test: \(beforeRestart) requests before the kill, \(requests.count) in all, \(duplicates) rows twice"
            )
            // At the kill, up to 16 rows are on the wire and up to 16 more were accepted but their batch
            // of outcomes was not committed yet (OutboxDeliverer's "at most maxInFlight plus one batch").
            #expect(duplicates <= 32, "only rows in flight or unrecorded at the kill may arrive twice")
            #expect(requests.count == clientIds.count * 2 + duplicates)
            #expect(
                try restartedClient.call("outbox.list", ["status": "delivered", "limit": 1000])["entries"]?.arrayValue?
                    .count == 80)
        }
    }
}

/// Distinct RSA public keys for tests that need many clients: the daemon accepts any odd modulus
/// of at least 2048 bits (it cannot know the factors), so varying a few bytes of a real one works.
enum FakeKeys {
    static func rsa(_ index: Int) -> JSONValue {
        guard case .object(var key) = ClientFlowTests.rfc7517Key, var modulus = key["n"]?.stringValue else {
            return .null
        }
        let digits = String(format: "%06d", index)
        let start = modulus.index(modulus.startIndex, offsetBy: 40)
        modulus.replaceSubrange(start..<modulus.index(start, offsetBy: 6), with: digits)
        key["n"] = .string(modulus)
        key["kid"] = nil
        return .object(key)
    }
}
