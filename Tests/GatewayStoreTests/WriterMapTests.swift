import GatewayStore
import GatewayTestSupport
import Testing

/// The writer reads the database file memory-mapped as far as it is asked to
/// (`database.writerMapMiB`); read connections never map it.
@Suite struct WriterMapTests {
    @Test(arguments: [0, 1 << 20, 256 << 20])
    func onlyTheWriterMapsTheFile(bytes: Int) async throws {
        let directory = try TemporaryDirectory()
        let store = try Store.open(
            path: directory.file("mapped.sqlite3"), migrations: testSchema(), writerMapBytes: bytes, logger: testLogger)
        defer { store.close() }
        #expect(try await store.write { try $0.query("PRAGMA mmap_size")[0].int(0) } == bytes)
        #expect(try store.read { try $0.query("PRAGMA mmap_size")[0].int(0) } == 0)
        try await store.write { try $0.execute("INSERT INTO items (id) VALUES ('one')") }
        #expect(try store.read { try $0.query("SELECT count(*) FROM items")[0].int(0) } == 1)
    }
}
