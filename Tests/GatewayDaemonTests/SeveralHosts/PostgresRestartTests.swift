import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// The PostgreSQL server goes away under load and comes back (SPEC 9): meanwhile every call that
/// needs it answers -32011 and `system.health` says `unavailable`; afterwards the daemon carries
/// on by itself, and nothing it acknowledged is lost.
///
/// The server is one of this test's own (``ScratchPostgresServer``, the same script's `halt` and
/// `start`), never the one every other suite shares: halting that would fail whatever PostgreSQL
/// test runs alongside. `with` stops and removes it however the test ends.
@Suite(.tags(.process)) struct PostgresRestartTests {
    @Test func writesGetUnavailableWhileTheServerIsDownAndNothingAcknowledgedIsLost() async throws {
        try await ScratchPostgresServer.with(port: 55436) { scratch in
            let database = try await TemporaryPostgresDatabase.create(on: scratch.server)
            let daemon = try TestDaemon(store: .postgresql, sharing: database)
            let client = try daemon.client()
            let writers = Writers(socket: daemon.socketPath, writers: 8) { writer, index in
                let id = "w\(writer)-\(index)"
                return ("partner.put", Fixtures.partner(id), id)
            }
            defer {
                writers.stop()
                _ = writers.waitUntilFinished()
            }
            try Poll.wait(for: "writes under way", timeout: .seconds(20)) { writers.acknowledged.count >= 100 }

            try scratch.halt()
            let haltedAt = writers.acknowledged.count
            try Poll.wait(for: "writes refused while the server is down", timeout: .seconds(20)) {
                writers.errors.count >= 50
            }
            let health = try client.call("system.health")
            #expect(health["status"] == "unavailable")
            #expect(health["store"] == "postgresql")
            #expect(health["clients"] == .null && health["journalHead"] == .null)
            let read = try client.request("partner.get", ["partnerId": "w0-0"])
            #expect(read["error"]?["code"] == -32011, "reads need the database too: \(read.serialized())")
            // client.get waits on its row without a thread (a batched lookup): the same answer.
            let lookup = try client.request("client.get", ["clientId": "no-such-client"])
            #expect(lookup["error"]?["code"] == -32011, "\(lookup.serialized())")
            #expect(
                writers.acknowledged.count <= haltedAt + 8,
                "at most the writes already committing at the halt are acknowledged after it")

            try scratch.start()
            let restartedAt = writers.acknowledged.count
            try Poll.wait(for: "writes acknowledged again without a daemon restart", timeout: .seconds(20)) {
                writers.acknowledged.count >= restartedAt + 100
            }
            writers.stop()
            #expect(writers.waitUntilFinished(), "the writers ended")

            let refusals = writers.errors
            var codes: [String: Int] = [:]
            for error in refusals {
                codes[
                    "\(error["code"]?.intValue ?? 0) \(error["data"]?["errorCode"]?.stringValue ?? "?")", default: 0] +=
                    1
            }
            #expect(Array(codes.keys) == ["-32011 GW_UNAVAILABLE"], "the only refusal is -32011: \(codes)")

            let acknowledged = writers.acknowledged
            let replies = try SeveralHosts.batched(
                client, acknowledged.map { ("partner.get", ["partnerId": .string($0)]) })
            let missing = zip(acknowledged, replies).filter { $0.1["result"]?["partnerId"]?.stringValue != $0.0 }
            #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(5).map(\.0))")
            let verdict = try client.call("journal.verify")
            #expect(verdict["ok"] == true)
            #expect((verdict["entries"]?.intValue ?? 0) >= acknowledged.count)
            #expect(try client.call("system.health")["status"] == "ok")
            let found = try client.request("client.get", ["clientId": "no-such-client"])
            #expect(
                found["error"]?["data"]?["errorCode"] == "PMS_ESI_004", "the lookups reconnected: \(found.serialized())"
            )
            #expect(daemon.process.isRunning, "the same process throughout")
            print(
                "postgres restart test: \(acknowledged.count) writes acknowledged (\(haltedAt) before the halt), "
                    + "\(refusals.count) refused with -32011")
        }
    }
}
