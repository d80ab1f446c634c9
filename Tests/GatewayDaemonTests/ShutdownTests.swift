import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 1, signals: SIGTERM/SIGINT stop accepting, answer every request already read and exit 0;
/// SIGHUP reloads the mapping files all or nothing, journalled as `config.reload`.
@Suite(.tags(.process)) struct ShutdownTests {
    @Test func sigtermAnswersEveryRequestItExecutedThenExitsZero() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let count = 3000
        var text = ""
        for id in 1...count {
            text += RequestLine.call(id: id, "partner.put", params: Fixtures.partner("P-\(id)").serialized()) + "\n"
        }
        let writer = client.sendInBackground(Array(text.utf8))
        let first = try client.readJSON()
        #expect(first["id"] == 1)
        daemon.signal(SIGTERM)
        var answered = 1
        // Replies keep coming in order, each whole, until the daemon closes the connection.
        while let line = try client.readLine() {
            let reply = try JSONValue.parse(line)
            answered += 1
            try #require(reply["id"] == JSONValue(answered), "reply out of order after SIGTERM: \(line)")
            #expect(reply["result"]?["partnerId"] == .string("P-\(answered)"), "\(line)")
        }
        #expect(try daemon.waitForExit(timeout: .seconds(15)) == 0)
        #expect(daemon.process.terminationReason == .exit)
        // Every partner the daemon stored was answered: nothing it did went unacknowledged.
        let database = try SQLiteFile(daemon.databasePath)
        #expect(try database.column("SELECT count(*) FROM partners") == ["\(answered)"])
        #expect(try database.column("SELECT count(*) FROM journal WHERE method = 'partner.put'") == ["\(answered)"])
        #expect(daemon.stderr().contains("stopped"))
        #expect(client.finish(writer))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func idleConnectionsDoNotHoldUpShutdown(signal: Int32) throws {
        let daemon = try TestDaemon()
        let idle = try RPCClient(path: daemon.socketPath, timeoutSeconds: 5)
        let half = try daemon.client()
        try half.send(#"{"jsonrpc":"2.0","id":1,"#)
        let started = ContinuousClock.now
        daemon.signal(signal)
        #expect(try daemon.waitForExit() == 0)
        #expect(daemon.process.terminationReason == .exit)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(idle.isClosedByPeer())
        // The socket file the daemon bound is gone, so the next start is clean.
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    /// A daemon whose mapping files are copies in its own directory, so a test may break them.
    static func daemonWithOwnMappings() throws -> TestDaemon {
        let directory = try TemporaryDirectory()
        var mappings: JSONObject = [:]
        for (key, file) in [
            ("identity", "identity-mapping.json"), ("amrAcr", "amr-acr-mapping.json"),
            ("openidConfiguration", "openid-configuration.json"),
        ] {
            try FileManager.default.copyItem(
                atPath: "\(TestPaths.configDirectory)/\(file)", toPath: "\(directory)/\(file)")
            mappings[key] = .string("\(directory)/\(file)")
        }
        return try TestDaemon(overrides: ["mappings": .object(mappings)], directory: directory)
    }

    static func reloadEntries(_ daemon: TestDaemon) throws -> [JSONValue] {
        let entries = try daemon.client().call("journal.list")["entries"]?.arrayValue ?? []
        return entries.filter { $0["method"] == "config.reload" }
    }

    @Test func sighupWithABrokenMappingKeepsRunningThenReloadsOnceFixed() throws {
        let daemon = try Self.daemonWithOwnMappings()
        let identity = "\(daemon.directory)/identity-mapping.json"
        let good = try String(contentsOfFile: identity, encoding: .utf8)
        try "{\"identity\": [broken".write(toFile: identity, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(Poll.until { daemon.stderr().contains("mapping reload failed") }, "\(daemon.stderr())")
        #expect(daemon.process.isRunning)
        #expect(try daemon.client().call("system.health")["status"] == "ok")
        #expect(try Self.reloadEntries(daemon).isEmpty)

        try good.write(toFile: identity, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(try Poll.until { try Self.reloadEntries(daemon).count == 1 })
        let entry = try #require(try Self.reloadEntries(daemon).first)
        #expect(entry["change"]?["identity"] == .string(identity))
        #expect(entry["peer"]?["pid"] == JSONValue(Int(daemon.process.processIdentifier)))
        #expect(daemon.process.isRunning)
    }

    @Test func sighupWithAMissingMappingFileKeepsTheOldMappings() throws {
        let daemon = try Self.daemonWithOwnMappings()
        try FileManager.default.removeItem(atPath: "\(daemon.directory)/amr-acr-mapping.json")
        let failures = { daemon.stderr().components(separatedBy: "mapping reload failed").count - 1 }
        daemon.signal(SIGHUP)
        #expect(Poll.until { failures() == 1 })
        // A second SIGHUP with the file still missing fails the same way and changes nothing.
        daemon.signal(SIGHUP)
        #expect(Poll.until { failures() == 2 }, "\(daemon.stderr())")
        #expect(daemon.process.isRunning)
        #expect(try Self.reloadEntries(daemon).isEmpty)
        #expect(try daemon.client().call("system.health")["status"] == "ok")
    }
}
