import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// Where the daemon's database writes happen (issue 13), told apart by the kernel's per-thread
/// count of write calls: the writer writes each commit's log in one go, and the copying of the
/// log back into the file is done by the checkpoint thread.
@Suite(.tags(.process)) struct WriteAheadLogTests {
    @Test func theWriterWritesACommitsLogAtOnceAndTheCheckpointThreadCopiesIt() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("system.health")
        let writer = try thread(named: "pmsgw-writer", of: daemon)
        let checkpoint = try thread(named: "pmsgw-checkpt", of: daemon)

        // One commit each (every call waits for its answer). A partner.put dirties a handful of
        // pages (the partner, the journal entry and its index, the head, an outbox row): SQLite
        // alone wrote each as two calls, ten and more per commit.
        let before = try writeCalls(writer)
        for index in 0..<30 {
            _ = try client.call("partner.put", Fixtures.partner("P-WAL-\(index)"))
        }
        let perCommit = Double(try writeCalls(writer) - before) / 30
        #expect(perCommit <= 2, "the writer made \(perCommit) write calls per commit")

        // Past SQLite's checkpoint threshold (1,000 pages) the log is copied into the file, by
        // the checkpoint thread; give it up to 3,000 more commits to get there.
        let copiedBefore = try writeCalls(checkpoint)
        var index = 30
        while try writeCalls(checkpoint) == copiedBefore, index < 3_030 {
            _ = try client.call("partner.put", Fixtures.partner("P-WAL-\(index)"))
            index += 1
        }
        #expect(try writeCalls(checkpoint) > copiedBefore, "no copy after \(index) commits")
    }

    /// The task directory of the daemon's thread called `name`.
    private func thread(named name: String, of daemon: TestDaemon) throws -> String {
        guard let thread = try daemon.threads().first(where: { $0.name == name }) else {
            throw TestFailure("no thread \(name) in daemon \(daemon.process.processIdentifier)")
        }
        return thread.task
    }

    /// The thread's write calls so far (`syscw`: write, pwrite and their vector forms).
    private func writeCalls(_ task: String) throws -> Int {
        let io = try String(contentsOfFile: "\(task)/io", encoding: .utf8)
        guard let line = io.split(separator: "\n").first(where: { $0.hasPrefix("syscw:") }),
            let count = Int(line.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces))
        else { throw TestFailure("no syscw in \(task)/io") }
        return count
    }
}
