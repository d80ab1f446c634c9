import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// One of two daemons on a shared database dies mid-load (SPEC 9): nothing it acknowledged is
/// lost, the journal stays one chain, and the survivor takes over the rows the dead one had
/// claimed once their lease runs out, delivering them to its own URLs, in order per client.
@Suite(.tags(.process)) struct DaemonKillTests {
    /// Clients per writer; each gets a create and two updates, so every client has three rows
    /// per target whose order matters.
    static let clientsPerWriter = 8
    static let writersPerDaemon = 8
    static let leaseSeconds = 2

    @Test func survivorDeliversTheKilledDaemonsClaimedRowsAfterTheLease() async throws {
        try await onOwnThread {
            let directory = try TemporaryDirectory()
            // Slow enough that the daemons always have deliveries in flight while the load runs.
            let receiver = try DeliveryCrashTests.Receiver(directory: directory, arguments: ["0.1"])
            let database = try TemporaryPostgresDatabase.createNow()
            defer { try? database.dropNow() }
            // One receiver; each daemon's URLs start with its own name, so the log says who sent what,
            // in the order the receiver answered.
            let (a, b) = try SeveralHosts.pair(on: database) { name in
                let base = "http://127.0.0.1:\(receiver.port)/\(name)"
                return [
                    "esignet": ["baseURL": .string(base)], "ida": ["websubHubURL": .string("\(base)/hub")],
                    "outbox": ["leaseSeconds": JSONValue(Self.leaseSeconds)],
                ]
            }
            let survivor = try b.client()
            try ClientFlowTests.seed(survivor)
            let clients = 2 * Self.writersPerDaemon * Self.clientsPerWriter
            let clientIds = try SeveralHosts.results(
                survivor, (0..<clients).map { ("key.clientId", ["publicKey": FakeKeys.rsa($0)]) }
            ).map { try #require($0["clientId"]?.stringValue) }

            let calls = 3 * Self.clientsPerWriter
            let loads = [a, b].enumerated().map { daemonIndex, daemon in
                Writers(socket: daemon.socketPath, writers: Self.writersPerDaemon, calls: calls) { writer, index in
                    let client = (daemonIndex * Self.writersPerDaemon + writer) * Self.clientsPerWriter + index / 3
                    let version = index % 3
                    let name = Self.name(client, version)
                    let call =
                        version == 0
                        ? ("client.create", Self.create(client, name: name))
                        : ("client.update", TwoDaemonTests.update(clientIds[client], name: name))
                    return (call.0, call.1, "\(client)/\(version)")
                }
            }
            let (loadA, loadB) = (loads[0], loads[1])

            // Kill `a` while its writers are busy and it holds claimed rows on the wire.
            let probe = try PostgresProbe(database)
            let claimedByA = "SELECT count(*)::text FROM outbox WHERE status = 'pending' AND claimed_by LIKE 'host-a/%'"
            try Poll.wait(for: "host-a under load with claimed rows", timeout: .seconds(20)) {
                guard loadA.acknowledged.count >= calls * Self.writersPerDaemon / 4 else { return false }
                let count = try probe.rows(claimedByA).first?.first ?? nil
                return Int(count ?? "0") ?? 0 > 0
            }
            a.signal(SIGKILL)
            _ = try a.waitForExit()
            let killedAt = Int64(Date().timeIntervalSince1970 * 1000)
            let orphans = try probe.rows(
                """
                SELECT seq::text, target, body, lease_until_ms::text FROM outbox
                WHERE status = 'pending' AND claimed_by LIKE 'host-a/%' ORDER BY seq
                """)
            #expect(!orphans.isEmpty, "host-a died holding claimed rows (else this test shows no takeover)")
            #expect(loadA.acknowledged.count < calls * Self.writersPerDaemon, "host-a died mid-load")
            #expect(loadA.waitUntilFinished() && loadB.waitUntilFinished(), "the writers ended")
            #expect(loadB.acknowledged.count == calls * Self.writersPerDaemon, "host-b's writers were not disturbed")
            #expect(loadA.errors.isEmpty && loadB.errors.isEmpty, "\(loadA.errors + loadB.errors)")

            try Poll.wait(for: "every row delivered by host-b", timeout: .seconds(30)) {
                try survivor.call("system.health")["outboxPending"] == 0
            }
            // Every acknowledged write is there (an unacknowledged one in flight at the kill may be too).
            let acknowledged = loadA.acknowledged + loadB.acknowledged
            var newestAcknowledged: [Int: Int] = [:]
            for key in acknowledged {
                let parts = key.split(separator: "/").compactMap { Int($0) }
                newestAcknowledged[parts[0]] = max(newestAcknowledged[parts[0]] ?? -1, parts[1])
            }
            let stored = try SeveralHosts.batched(
                survivor, newestAcknowledged.keys.sorted().map { ("client.get", ["clientId": .string(clientIds[$0])]) })
            for (client, reply) in zip(newestAcknowledged.keys.sorted(), stored) {
                let version = reply["result"]?["name"]?.stringValue.flatMap(Self.version(ofName:))
                #expect(
                    version.map { $0 >= newestAcknowledged[client]! } == true,
                    "client \(client): acknowledged v\(newestAcknowledged[client]!), stored \(reply.serialized())")
            }
            let verdict = try survivor.call("journal.verify")
            #expect(verdict["ok"] == true)
            // The seed (3 entries) and one entry per acknowledged write, at least.
            #expect((verdict["entries"]?.intValue ?? 0) >= acknowledged.count + 3)
            let outbox = try SeveralHosts.outbox(survivor)
            #expect(outbox.allSatisfy { $0["status"] == "delivered" }, "no row failed or stayed behind")

            // The orphans went out from host-b, and not before their lease ran out.
            let requests = try receiver.requests()
            let delivered = try probe.rows(
                "SELECT seq::text, delivered_at FROM outbox WHERE claimed_by IS NULL AND status = 'delivered'")
            let deliveredAt = Dictionary(uniqueKeysWithValues: delivered.map { ($0[0]!, $0[1]!) })
            for orphan in orphans {
                let (seq, target, body, leaseUntil) = (orphan[0]!, orphan[1]!, orphan[2]!, Int64(orphan[3]!)!)
                let row = try #require(Self.row(target: target, body: body), "outbox row \(seq) names no client")
                let fromB = requests.filter { Self.row(of: $0) == row && Self.sender(of: $0) == "host-b" }
                #expect(!fromB.isEmpty, "host-b delivered host-a's claimed row \(seq) (\(row))")
                let at = try #require(deliveredAt[seq].flatMap(Self.milliseconds), "row \(seq) delivered")
                #expect(at >= leaseUntil, "row \(seq) was taken over only after its lease (\(leaseUntil)), at \(at)")
            }
            #expect(
                killedAt < orphans.compactMap { $0[3].flatMap { Int64($0) } }.max() ?? 0,
                "a lease still ran at the kill, so the survivor had to wait for it")

            // In order per client and target: each row's first arrival after the previous row's, and
            // once a later row arrived the earlier one never again (at least once allows a repeat of
            // the row in flight at the kill, right after itself, never after its successor).
            var arrivals: [String: [Int]] = [:]
            for request in requests {
                guard let row = Self.row(of: request) else { continue }
                arrivals["\(row.target) \(row.client)", default: []].append(row.version)
            }
            // Every row of the outbox (an unacknowledged write in flight at the kill may have added some)
            // arrived at least once.
            let rows = try probe.rows("SELECT target, body FROM outbox").compactMap {
                Self.row(target: $0[0]!, body: $0[1]!)
            }
            #expect(rows.count == outbox.count, "every outbox row is one client's version")
            #expect(Set(rows) == Set(requests.compactMap(Self.row(of:))), "every row arrived, and nothing else")
            for (queue, versions) in arrivals {
                #expect(versions == versions.sorted(), "\(queue) arrived in order: \(versions)")
            }
            let duplicates = arrivals.values.reduce(0) { $0 + $1.count - Set($1).count }
            print(
                "daemon kill test: \(acknowledged.count) writes acknowledged, \(orphans.count) rows claimed by the killed "
                    + "daemon, \(requests.count) requests received for \(outbox.count) rows, \(duplicates) twice")
            #expect(requests.count == outbox.count + duplicates)
        }
    }

    static func name(_ client: Int, _ version: Int) -> String { "rp-\(client)-v\(version)" }

    static func version(ofName name: String) -> Int? {
        name.split(separator: "-v").last.flatMap { Int($0) }
    }

    static func create(_ client: Int, name: String) -> JSONValue {
        guard case .object(var params) = ClientFlowTests.create(key: FakeKeys.rsa(client)) else { return .null }
        params["name"] = .string(name)
        return .object(params)
    }

    /// Which outbox row a body is: its target, client and version, from the client's name
    /// (`rp-<client>-v<version>`), which both eSignet's request and IDA's event carry.
    struct RowIdentity: Hashable, CustomStringConvertible {
        var target: String
        var client: Int
        var version: Int
        var description: String { "\(target) client \(client) v\(version)" }
    }

    static func row(target: String, body: String) -> RowIdentity? {
        guard let range = body.range(of: #"rp-[0-9]+-v[0-9]+"#, options: .regularExpression) else { return nil }
        let parts = body[range].dropFirst(3).split(separator: "-v").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return RowIdentity(target: target, client: parts[0], version: parts[1])
    }

    /// The row a received request delivered: `/<node>/hub?...` is IDA's, anything else eSignet's.
    static func row(of request: JSONValue) -> RowIdentity? {
        guard let path = request["path"]?.stringValue, let body = request["body"]?.stringValue else { return nil }
        return row(target: path.contains("/hub") ? "ida" : "esignet", body: body)
    }

    /// Which daemon sent a request: the first component of its path.
    static func sender(of request: JSONValue) -> String? {
        request["path"]?.stringValue?.split(separator: "/").first.map(String.init)
    }

    /// `2026-11-24T10:00:00.000Z` as epoch milliseconds.
    static func milliseconds(_ timestamp: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: timestamp).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
