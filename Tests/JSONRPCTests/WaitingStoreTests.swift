import GatewayJSON
import JSONRPC
import Synchronization
import Testing

enum Lookup: PassThroughMethod {
    static let name = "lookup"
    static let summary = "A hot read, with a form that waits without blocking."
    static let result = ["how"]
}

enum Commit: PassThroughMethod {
    static let name = "commit"
    static let summary = "A write whose only wait is the writer's commit."
    static let result = ["how"]
}

/// A table for a store whose reads wait on the network (PostgreSQL): an immediate method with a
/// non-blocking form runs that form on the caller's loop; any other immediate one is offloaded.
@Suite final class WaitingStoreTests: Sendable {
    let methods = TestMethods()
    let offloads = Atomic<Int>(0)

    func table(waitingStore: Bool) -> MethodTable<Caller> {
        var table = methods.table
        table.register(
            MethodDescriptor(
                Lookup.self, immediate: { _, _ in ["how": "immediate"] },
                withoutBlocking: { _, _ in
                    await Task.yield()
                    return ["how": "withoutBlocking"]
                }))
        table.register(
            MethodDescriptor(
                Commit.self,
                committing: { _, _ in
                    await Task.yield()
                    return ["how": "committed"]
                }))
        if waitingStore {
            table.transformMethods { method in
                method.offloadingImmediate { [self] work in
                    offloads.add(1, ordering: .relaxed)
                    return try work()
                }
            }
        }
        return table
    }

    func processor(waitingStore: Bool) -> RPCProcessor<Caller> {
        RPCProcessor(
            table: table(waitingStore: waitingStore), limits: .init(maxBatch: 10), authorize: { _, _ in true },
            mapError: { _ in .internalFailure })
    }

    /// The kind of outcome a line gets, and its reply.
    func outcome(_ line: String, waitingStore: Bool) async -> (kind: String, reply: String?) {
        let text: ([UInt8]?) -> String? = { $0.map { String(decoding: $0, as: UTF8.self) } }
        switch processor(waitingStore: waitingStore).handle(line: Array(line.utf8), context: { _ in Caller() }) {
        case .immediate(let bytes): return ("immediate", text(bytes))
        case .deferred(let work): return ("deferred", text(await work()))
        case .suspending(let work): return ("suspending", text(await work()))
        }
    }

    @Test func onALocalStoreTheLookupIsAnsweredAtOnce() async {
        let (kind, reply) = await outcome(request("lookup"), waitingStore: false)
        #expect(kind == "immediate")
        #expect(reply?.contains(#""how":"immediate""#) == true)
    }

    @Test func onAWaitingStoreTheLookupSuspendsAndOtherReadsAreOffloaded() async {
        let lookup = await outcome(request("lookup"), waitingStore: true)
        #expect(lookup.kind == "suspending")
        #expect(lookup.reply?.contains(#""how":"withoutBlocking""#) == true)
        #expect(offloads.load(ordering: .relaxed) == 0, "the lookup takes no thread of the offload pool")

        let echo = await outcome(request("echo", params: #"{"n":1}"#), waitingStore: true)
        #expect(echo.kind == "deferred")
        #expect(offloads.load(ordering: .relaxed) == 1)
    }

    /// A write waits for the writer's thread, never on its own, whatever the store: it suspends on
    /// the caller's loop on both, and takes no offload thread.
    @Test(arguments: [false, true]) func aCommittingWriteSuspendsOnEitherStore(waitingStore: Bool) async {
        let write = await outcome(request("commit"), waitingStore: waitingStore)
        #expect(write.kind == "suspending")
        #expect(write.reply?.contains(#""how":"committed""#) == true)
        #expect(offloads.load(ordering: .relaxed) == 0)
        let echo = await outcome(request("slow.echo", params: #"{"n":1}"#), waitingStore: waitingStore)
        #expect(echo.kind == "deferred", "a method that may block still leaves the loop")
    }

    @Test func aBatchSuspendsOnlyWhenNoEntryBlocks() async {
        let lookups = "[\(request("lookup", id: "1")),\(request("lookup", id: "2"))]"
        #expect(await outcome(lookups, waitingStore: true).kind == "suspending")
        let mixed = "[\(request("lookup", id: "1")),\(request("echo", id: "2"))]"
        let answer = await outcome(mixed, waitingStore: true)
        #expect(answer.kind == "deferred", "an offloaded read in the batch would block the loop")
        #expect(answer.reply?.contains(#""how":"withoutBlocking""#) == true)
    }
}
