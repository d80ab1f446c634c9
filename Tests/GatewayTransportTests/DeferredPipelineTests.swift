import GatewayTestSupport
import NIOCore
import NIOEmbedded
import Testing

@testable import GatewayTransport

/// Deferred replies (a write waiting for its commit) on `NIOAsyncTestingChannel`, whose event
/// loop takes work from other threads as a real one does.
@Suite struct DeferredPipelineTests {
    let responder = ScriptedResponder()
    let reads = ReadCounter()
    let channel = NIOAsyncTestingChannel()

    init() async throws {
        let (responder, reads) = (self.responder, self.reads)
        try await channel.testingEventLoop.executeInContext { [channel] in
            try channel.pipeline.syncOperations.addHandlers([
                reads, RequestPipelineHandler(responder: responder, budget: 16),
            ])
        }
    }

    func receive(_ lines: [String]) async throws {
        try await channel.testingEventLoop.executeInContext { [channel] in
            for line in lines { channel.pipeline.fireChannelRead(InboundFrame.line(ByteBuffer(string: line))) }
            channel.pipeline.fireChannelReadComplete()
        }
    }

    func nextReply() async throws -> String {
        String(buffer: try await channel.waitForOutboundWrite(as: ByteBuffer.self))
    }

    @Test func aDeferredReplyHoldsBackLaterRequestsAndEveryReplyKeepsItsPlace() async throws {
        try await receive(["i:1", "d:2", "i:3", "i:4"])
        #expect(try await nextReply() == "1\n")
        await channel.testingEventLoop.run()
        #expect(responder.ran == ["i:1", "d:2"], "nothing after a deferred request runs before its reply")
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)

        responder.gate.open()
        #expect(try await nextReply() == "2\n")
        #expect(try await nextReply() == "3\n")
        #expect(try await nextReply() == "4\n")
        #expect(responder.ran == ["i:1", "d:2", "i:3", "i:4"])
    }

    /// A lookup that waits on the network starts and resumes on the connection's own loop, and
    /// keeps its place among the replies as deferred work does.
    @Test func suspendingWorkRunsOnTheConnectionsEventLoop() async throws {
        responder.eventLoop.withLock { $0 = channel.testingEventLoop }
        try await receive(["s:1", "i:2"])
        await channel.testingEventLoop.run()
        #expect(responder.ran == ["s:1"], "nothing after suspending work runs before its reply")
        responder.gate.open()
        #expect(try await nextReply() == "1\n")
        #expect(try await nextReply() == "2\n")
        #expect(responder.suspendingRanOnLoop == [true, true])
    }

    @Test func aDeferredReplyForAPeerThatHasGoneIsNotWrittenAndNothingMoreRuns() async throws {
        try await receive(["d:1", "i:2"])
        await channel.testingEventLoop.run()
        #expect(responder.ran == ["d:1"])
        try await channel.testingEventLoop.executeInContext { [channel] in
            channel.read()  // held: a deferred request is running
            channel.pipeline.fireChannelInactive()
        }
        #expect(reads.reads == 0)
        responder.gate.open()
        // The held read is let through once the deferred reply has been handled on the loop.
        try await eventually("the deferred reply handled") { reads.reads == 1 }
        await channel.testingEventLoop.run()
        #expect(responder.ran == ["d:1"], "the queued request of a peer that has gone is not run")
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil, "no reply is written for it")
    }
}
