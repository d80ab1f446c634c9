import GatewayCrypto
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// The journal can be verified from `journal.list` output alone (SPEC 6), and tampering is found.
@Suite(.tags(.process)) struct JournalChainTests {
    @Test(arguments: TestStore.allCases) func chainRecomputesFromListOutput(store: TestStore) throws {
        let client = try TestDaemon(store: store).client()
        for index in 0..<30 { _ = try client.call("partner.put", Fixtures.partner("p\(index)")) }
        var previous = String(repeating: "0", count: 64)
        var after = 0
        var seen = 0
        while true {
            let page = try client.call("journal.list", ["afterSeq": JSONValue(after), "limit": 7])
            for entry in try #require(page["entries"]?.arrayValue) {
                guard case .object(var object) = entry else {
                    Issue.record("entry is not an object")
                    return
                }
                let hash = try #require(object["hash"]?.stringValue)
                object["hash"] = nil
                #expect(object["prevHash"]?.stringValue == previous)
                #expect(SHA256Digest.hex(JSONValue.object(object).canonicalBytes()) == hash)
                #expect(object["requestId"]?.stringValue != nil)
                #expect(object["peer"]?["pid"]?.intValue != nil)
                previous = hash
                seen += 1
            }
            guard let next = page["nextAfterSeq"]?.intValue else { break }
            // Every page moves on: a cursor that stood still would loop here for ever.
            try #require(next > after, "nextAfterSeq \(next) after \(after)")
            after = next
        }
        #expect(seen == 30)
        #expect(try client.call("journal.verify")["headHash"]?.stringValue == previous)
    }

    @Test(arguments: ["edit", "delete", "swap"], TestStore.allCases)
    func tamperingIsFoundAtTheFirstBadSeq(_ tampering: String, store: TestStore) throws {
        let daemon = try TestDaemon(store: store)
        do {
            let client = try daemon.client()
            for index in 0..<10 { _ = try client.call("partner.put", Fixtures.partner("p\(index)")) }
        }
        let statements: [String] =
            switch tampering {
            case "edit": ["UPDATE journal SET entity_id = 'forged' WHERE seq = 4"]
            case "delete": ["DELETE FROM journal WHERE seq = 4"]
            default:
                [
                    "UPDATE journal SET seq = -1 WHERE seq = 4", "UPDATE journal SET seq = 4 WHERE seq = 5",
                    "UPDATE journal SET seq = 5 WHERE seq = -1",
                ]
            }
        // The append-only triggers stop accidents; someone with write access to the file, or the
        // database's owner, can drop them.
        if let postgres = daemon.postgres {
            for statement in ["ALTER TABLE journal DISABLE TRIGGER USER"] + statements {
                try postgres.server.runNow(statement, database: postgres.name)
            }
        } else {
            let database = try SQLiteFile(daemon.databasePath, readOnly: false)
            try database.execute("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete")
            try database.execute(statements.joined(separator: "; "))
        }
        let verdict = try daemon.client().call("journal.verify")
        #expect(verdict["ok"] == false)
        // A deleted row is reported at its own (now missing) seq.
        #expect(verdict["firstBadSeq"] == 4)
    }
}
