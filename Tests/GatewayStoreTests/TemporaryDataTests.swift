import Foundation
import GatewayStore
import Testing

/// SQLite keeps its temporary data (a statement's undo inside a SAVEPOINT, sort runs) in memory:
/// as files it cost the writer a file per transaction and thousands of writes a second under
/// `client.create`, and put page images of the registry outside the database's directory.
@Suite struct TemporaryDataTests {
    /// SQLite's temporary files this process has open: it names them `etilqs_…` and unlinks them as
    /// it opens them, so only the open descriptors show them.
    static func openTemporaryFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { fd in
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
            return target.flatMap { $0.contains("/etilqs_") ? $0 : nil }
        }
    }

    @Test func aSavepointsUndoStaysInMemory() async throws {
        let temporary = try TemporaryStore()
        let blob = [UInt8](repeating: 7, count: 1_000)
        let seen = try await temporary.store.write { transaction in
            for index in 0..<300 {
                try transaction.execute(
                    "INSERT INTO items (id, payload) VALUES (?, ?)", [SQLValue("k\(index)"), .blob(blob)])
            }
            // Rewriting every page this transaction already changed, inside a savepoint, keeps
            // their old images (about 300 KiB) for a rollback to the savepoint.
            try transaction.execute("SAVEPOINT rewrite")
            try transaction.execute("UPDATE items SET payload = zeroblob(1000)")
            let open = try Self.openTemporaryFiles()
            try transaction.execute("RELEASE rewrite")
            return open
        }
        #expect(seen.isEmpty, "SQLite temporary files: \(seen)")
    }
}
