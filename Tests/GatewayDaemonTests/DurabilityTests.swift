import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// Nothing acknowledged is ever lost (issue 3): SIGKILL mid-load, a full disk, online backups.
@Suite(.tags(.process)) struct DurabilityTests {
    @Test(arguments: TestStore.allCases) func sigkillMidLoadLosesNothingAcknowledged(store: TestStore) async throws {
        try await onOwnThread {
            let directory = try TemporaryDirectory()
            let daemon = try TestDaemon(directory: directory, store: store)
            let load = Writers(socket: daemon.socketPath, writers: 16, calls: 100_000) { client, index in
                let id = "c\(client)-\(index)"
                return ("partner.put", Fixtures.partner(id), id)
            }
            // The kill comes once the load is well under way (or at the deadline, and the test fails).
            Poll.until(timeout: .seconds(30)) { load.acknowledged.count >= 200 }
            daemon.signal(SIGKILL)
            _ = try daemon.waitForExit()
            #expect(load.waitUntilFinished(), "the writers did not end with their daemon")
            #expect(load.acknowledged.count > 50, "the load should have been running when the daemon died")
            #expect(load.errors.isEmpty)

            let restarted = try TestDaemon(directory: directory, store: store, sharing: daemon.postgres)
            let client = try restarted.client()
            for id in load.acknowledged {
                #expect(try client.call("partner.get", ["partnerId": .string(id)])["partnerId"]?.stringValue == id)
            }
            let verdict = try client.call("journal.verify")
            #expect(verdict["ok"] == true)
            #expect((verdict["entries"]?.intValue ?? 0) >= load.acknowledged.count)
            if store == .sqlite { #expect(try SQLiteFile(restarted.databasePath).integrityCheck() == "ok") }
        }
    }

    @Test func fullDiskRefusesWritesKeepsReadsAndRecovers() throws {
        let directory = try TemporaryDirectory()
        let disk = "\(directory)/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try Shell.run("mount -t tmpfs -o size=2m tmpfs \(disk)")
        defer { _ = try? Shell.run("umount -l \(disk)") }
        let daemon = try TestDaemon(
            overrides: ["database": ["path": .string("\(disk)/gw.sqlite3")]], directory: directory)
        let client = try daemon.client()
        _ = try client.call("partner.put", Fixtures.partner("before"))

        var unavailable: JSONValue?
        let bulky = String(repeating: "C", count: 60_000)
        for index in 0..<200 {
            var params = Fixtures.partner("fill\(index)")
            if case .object(var object) = params {
                object["certificateData"] = .string(bulky)
                params = .object(object)
            }
            let response = try client.request("partner.put", params)
            if let error = response["error"] {
                unavailable = error
                break
            }
        }
        let error = try #require(unavailable, "the disk never filled")
        #expect(error["code"] == -32011)
        #expect(error["data"]?["errorCode"] == "GW_UNAVAILABLE")
        #expect(try client.call("partner.get", ["partnerId": "before"])["partnerId"] == "before")
        #expect(try client.call("system.health")["status"] == "ok")

        try Shell.run("mount -o remount,size=64m \(disk)")
        #expect(try client.call("partner.put", Fixtures.partner("after"))["partnerId"] == "after")
        #expect(try client.call("journal.verify")["ok"] == true)
        #expect(try SQLiteFile("\(disk)/gw.sqlite3").integrityCheck() == "ok")
    }

    @Test func backupWhileWritingIsConsistent() throws {
        let daemon = try TestDaemon()
        let load = Writers(socket: daemon.socketPath, writers: 4, calls: 300) { client, index in
            ("partner.put", Fixtures.partner("b\(client)-\(index)"), "b\(client)-\(index)")
        }
        try Poll.wait(for: "writes under way") { !load.acknowledged.isEmpty }
        // A bare name lands in `backups/` beside the database, which the daemon creates 0700.
        let path = "\(daemon.directory)/backups/backup.sqlite3"
        let result = try daemon.client().call("system.backup", ["path": "backup.sqlite3"])
        #expect(result["path"]?.stringValue == path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat("\(daemon.directory)/backups", &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect((result["bytes"]?.intValue ?? 0) > 0)
        let copy = try SQLiteFile(path)
        #expect(try copy.integrityCheck() == "ok")
        #expect(try copy.column("SELECT max(seq) FROM journal").first == String(result["journalHead"]?.intValue ?? -1))

        // The copy is a database a daemon can start on, and its journal verifies.
        let restored = try TestDaemon(arguments: ["--database", path])
        #expect(try restored.client().call("journal.verify")["ok"] == true)
        #expect(load.waitUntilFinished(timeout: .seconds(60)), "the writers did not finish")
    }
}
