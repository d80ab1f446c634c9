import Foundation
import GatewayStore
import GatewayTestSupport
import Testing

/// The WAL is copied back into the database file by the store's checkpoint thread, not by the
/// writer inside a COMMIT (SQLite's default, which the store turns off). Were the hand-off lost,
/// nothing would copy it until the store closed, and the WAL would grow with every write.
@Suite struct CheckpointTests {
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    @Test func theWALReachesTheDatabaseFileWhileTheStoreIsOpen() async throws {
        let temporary = try TemporaryStore()
        let before = Self.size(temporary.path)
        let blob = [UInt8](repeating: 7, count: 3_000)
        // About 1,400 pages in 60 commits: well past the 1,000 WAL pages that start a checkpoint.
        for batch in 0..<60 {
            try await temporary.store.write { transaction in
                for index in 0..<30 {
                    try transaction.execute(
                        "INSERT INTO items (id, payload) VALUES (?, ?)", [SQLValue("b\(batch)-\(index)"), .blob(blob)])
                }
            }
        }
        // The first checkpoint copies the pages of the first 1,000 frames, many hundreds of them
        // distinct. (Frames after it may stay in the WAL, which restarts from its beginning once
        // copied, until 1,000 more gather, as with SQLite's own checkpoints.)
        try await eventually("the rows' pages reach the database file") {
            Self.size(temporary.path) >= before + 500 * 4_096
        }
        #expect(try temporary.store.read { try $0.query("SELECT count(*) FROM items")[0].int(0) } == 1_800)
    }
}
