import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// `pms-gatewayd --copy-to URL` (SPEC 9): a host's SQLite registry moved whole into PostgreSQL,
/// after which a daemon on PostgreSQL is the same registry.
@Suite(.tags(.process)) struct CopyToTests {
    static let clients = 10_000
    /// Partners, each put `partnerVersions` times with a new name: every put changes the row and
    /// adds a journal entry, so the journal reaches 100,000 entries with a small partners table.
    static let partners = 1_000
    static let partnerVersions = 90

    /// A SQLite database of 10,000 clients, 100,003 journal entries and 20,000 pending outbox rows
    /// (no URL is configured, so nothing is delivered), built through a real daemon. After the
    /// copy, a daemon on the PostgreSQL copy gives the same `client.get` for every client, the
    /// same `journal.verify` (entries and head hash), the same outbox and the same counts; a second
    /// copy into the now filled database is refused with exit 1 and changes nothing.
    @Test(.timeLimit(.minutes(10))) func aCopiedDatabaseAnswersAsTheOriginal() async throws {
        try await onOwnThread {
            let directory = try TemporaryDirectory()
            let clock = ContinuousClock()
            var started = clock.now
            var timings: [String] = []
            func lap(_ what: String) {
                timings.append("\(what) \(clock.now - started)")
                started = clock.now
            }

            // Generous answer deadlines: a verify of 100,000 entries or a batch of 100 reads can take
            // seconds while the rest of the suite loads the same two cores.
            let original = try TestDaemon(directory: directory)
            let client = try RPCClient(path: original.socketPath, timeoutSeconds: 120, owner: original)
            try ClientFlowTests.seed(client)
            var calls: [(method: String, params: JSONValue)] = (0..<Self.clients).map {
                ("client.create", ClientFlowTests.create(key: FakeKeys.rsa($0)))
            }
            for version in 0..<Self.partnerVersions {
                for partner in 0..<Self.partners {
                    var params = Fixtures.partner("partner-\(partner)")
                    if case .object(var object) = params {
                        object["name"] = .string("Partner \(partner) revision \(version)")
                        params = .object(object)
                    }
                    calls.append(("partner.put", params))
                }
            }
            let replies = try Self.load(socket: original.socketPath, calls, connections: 4)
            #expect(replies.allSatisfy { $0["result"] != nil }, "every write of the load succeeded")
            let clientIds = replies.prefix(Self.clients).compactMap { $0["result"]?["clientId"]?.stringValue }
            #expect(clientIds.count == Self.clients)
            lap("load")

            let before = try Self.answers(client, clientIds: clientIds)
            #expect(before.verify["ok"] == true)
            #expect(before.verify["entries"] == JSONValue(3 + Self.clients + Self.partners * Self.partnerVersions))
            #expect(before.outbox.count == 2 * Self.clients)
            #expect(before.outbox.allSatisfy { $0["status"] == "pending" })
            original.signal(SIGTERM)
            #expect(try original.waitForExit() == 0)
            lap("answers from SQLite")

            let target = try TemporaryPostgresDatabase.createNow()
            defer { try? target.dropNow() }
            let config = directory.file("copy.json")
            try TestDaemon.writeConfig(
                to: config, socket: directory.file("copy.sock"), database: original.databasePath,
                directory: directory.path,
                overrides: ["database": ["passwordFile": .string(target.server.passwordFile)]])
            let copy = try ShellCommand.run(
                TestPaths.daemon, ["--config", config, "--copy-to", target.url], timeout: .seconds(300))
            #expect(copy.status == 0 && copy.exitedNormally, "\(copy)")
            #expect(copy.stdout.contains("\(before.verify["entries"]?.intValue ?? -1) entries"), "\(copy.stdout)")
            #expect(copy.stdout.contains(before.verify["headHash"]?.stringValue ?? "?"), "\(copy.stdout)")
            lap("copy")

            let copied = try TestDaemon(store: .postgresql, sharing: target)
            let copiedClient = try RPCClient(path: copied.socketPath, timeoutSeconds: 120, owner: copied)
            let after = try Self.answers(copiedClient, clientIds: clientIds)
            lap("answers from PostgreSQL")
            #expect(try copiedClient.call("system.health")["store"] == "postgresql")
            let differing = zip(before.clients, after.clients).filter { $0.0 != $0.1 }
            #expect(differing.isEmpty, "client.get differs: \(differing.first.map { "\($0.0) vs \($0.1)" } ?? "")")
            #expect(after.verify == before.verify)
            #expect(after.outbox == before.outbox)
            #expect(after.counts == before.counts)

            // The copy's identities were moved past the copied rows: the copy takes new writes.
            let created = try copiedClient.call(
                "client.create", ClientFlowTests.create(key: FakeKeys.rsa(Self.clients)))
            #expect(created["status"] == "ACTIVE")
            let verdict = try copiedClient.call("journal.verify")
            #expect(
                verdict["ok"] == true && verdict["entries"] == JSONValue((before.verify["entries"]?.intValue ?? 0) + 1))
            #expect(try SeveralHosts.outbox(copiedClient).count == 2 * Self.clients + 2)

            let again = try ShellCommand.run(
                TestPaths.daemon, ["--config", config, "--copy-to", target.url], timeout: .seconds(60))
            #expect(again.status == 1 && again.exitedNormally, "\(again)")
            #expect(again.stderr.contains("already holds pms-gateway tables"), "\(again.stderr)")
            #expect(try copiedClient.call("journal.verify") == verdict, "the refused copy changed nothing")
            print(
                "copy test (\(Self.clients) clients, \(verdict["entries"]!.serialized()) entries): "
                    + timings.joined(separator: ", "))
            print("copy output:\n\(copy.stdout)")
        }
    }

    /// What a daemon answers that a copy must answer the same: every client, the journal's
    /// verdict, the whole outbox and the counts of `system.health`.
    struct Answers {
        var clients: [JSONValue]
        var verify: JSONValue
        var outbox: [JSONValue]
        var counts: [JSONValue?]
    }

    static func answers(_ client: RPCClient, clientIds: [String]) throws -> Answers {
        let health = try client.call("system.health")
        return Answers(
            clients: try SeveralHosts.batched(client, clientIds.map { ("client.get", ["clientId": .string($0)]) }),
            verify: try client.call("journal.verify"), outbox: try SeveralHosts.outbox(client),
            counts: ["journalHead", "clients", "licenses", "outboxPending", "outboxFailed", "outboxRejected"].map {
                health[$0]
            })
    }

    /// Sends `calls` over `connections` connections at once, each a contiguous share of them in
    /// batches of 100, so the daemon commits many writes together; the replies in call order.
    static func load(socket: String, _ calls: [(method: String, params: JSONValue)], connections: Int) throws
        -> [JSONValue]
    {
        let share = (calls.count + connections - 1) / connections
        let results = ResultSlots(count: connections)
        let threads = (0..<connections).map { index in
            Thread {
                let slice = Array(calls[min(calls.count, index * share)..<min(calls.count, (index + 1) * share)])
                results.set(
                    index, Result { try SeveralHosts.batched(try RPCClient(path: socket, timeoutSeconds: 60), slice) })
            }
        }
        for thread in threads { thread.start() }
        try Poll.wait(for: "the load to finish", timeout: .seconds(400)) { threads.allSatisfy(\.isFinished) }
        return try results.all().flatMap { $0 }
    }

    /// Each loading thread's replies, or its error.
    final class ResultSlots: @unchecked Sendable {
        // @unchecked: `slots` is only touched under `lock`.
        private let lock = NSLock()
        private var slots: [Result<[JSONValue], any Error>?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ result: Result<[JSONValue], any Error>) {
            lock.withLock { slots[index] = result }
        }

        func all() throws -> [[JSONValue]] {
            try lock.withLock { slots }.map { slot in
                guard let slot else { throw TestFailure("a loading thread gave no result") }
                return try slot.get()
            }
        }
    }
}
