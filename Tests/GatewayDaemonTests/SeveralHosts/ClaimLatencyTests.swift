import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// Claims on PostgreSQL (SPEC 9) keep other daemons off a row while it is on the wire; they must
/// not hold up the claiming daemon itself.
@Suite(.tags(.process)) struct ClaimLatencyTests {
    /// A backlog larger than `maxInFlight` (16) on one daemon with the default 30 s lease, to a
    /// receiver that answers in 50 ms: every row goes out within seconds. A daemon that claimed
    /// more rows than it had free slots, or a row of a key still busy in memory, and then did not
    /// send them, would leave them to wait out their own lease, 30 s.
    @Test func aBacklogIsNotHeldUpByTheDaemonsOwnLeases() async throws {
        try await onOwnThread {
            let directory = try TemporaryDirectory()
            let receiver = try DeliveryCrashTests.Receiver(directory: directory, arguments: ["0.05"])
            let base = "http://127.0.0.1:\(receiver.port)"
            let database = try TemporaryPostgresDatabase.createNow()
            defer { try? database.dropNow() }
            let daemon = try TestDaemon(
                overrides: ["esignet": ["baseURL": .string(base)], "ida": ["websubHubURL": .string("\(base)/hub")]],
                store: .postgresql, sharing: database)
            let client = try daemon.client()
            try ClientFlowTests.seed(client)
            let started = ContinuousClock.now
            // 40 clients with a create and an update each: 160 rows, two per queue.
            let creates = try SeveralHosts.results(
                client, (0..<40).map { ("client.create", ClientFlowTests.create(key: FakeKeys.rsa($0))) })
            _ = try SeveralHosts.results(
                client,
                creates.map { ("client.update", TwoDaemonTests.update($0["clientId"]!.stringValue!, name: "renamed")) })
            try Poll.wait(for: "160 rows delivered", timeout: .seconds(25)) {
                try client.call("system.health")["outboxPending"] == 0
            }
            let elapsed = ContinuousClock.now - started
            print("claim latency test: 160 rows delivered in \(elapsed)")
            #expect(try receiver.requests().count >= 160)
            #expect(elapsed < .seconds(10), "160 rows at 16 in flight and 50 ms each take about a second, not a lease")
        }
    }
}
