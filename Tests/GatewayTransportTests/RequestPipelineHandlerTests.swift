import NIOCore
import NIOEmbedded
import Testing

@testable import GatewayTransport

/// The per-connection pipeline (SPEC 2): requests run one at a time and answer in order; at most
/// `budget` per event-loop turn; reading held while lines wait; nothing run for a peer that has
/// gone; a half-closed peer answered in full. On `EmbeddedChannel`, whose event loop runs only
/// when the test says so, so "a later turn" is something a test can point at.
@Suite struct RequestPipelineHandlerTests {
    let responder = ScriptedResponder()
    let reads = ReadCounter()
    let channel = EmbeddedChannel()

    init() throws {
        try channel.pipeline.syncOperations.addHandlers([
            reads, RequestPipelineHandler(responder: responder, budget: 16),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
    }

    /// One read burst: every line, then one read-complete (as a socket read of many lines).
    func receive(_ lines: [String]) {
        for line in lines { channel.pipeline.fireChannelRead(InboundFrame.line(ByteBuffer(string: line))) }
        channel.pipeline.fireChannelReadComplete()
    }

    /// Every reply written so far, in order (empty writes, such as the close marker, skipped).
    func replies() throws -> [String] {
        var replies: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            if buffer.readableBytes > 0 { replies.append(String(buffer: buffer)) }
        }
        return replies
    }

    @Test func immediateRepliesComeInRequestOrderAndNotificationsGetNone() throws {
        receive(["i:1", "n:2", "i:3", "i:4"])
        #expect(try replies() == ["1\n", "3\n", "4\n"])
        #expect(responder.ran == ["i:1", "n:2", "i:3", "i:4"])
    }

    @Test func atMostABudgetOfRequestsRunsPerTurnAndTheRestOnLaterTurns() throws {
        receive(immediateLines(1...40))
        #expect(responder.ran.count == 16, "one turn runs at most the budget")
        #expect(try replies() == (1...16).map { "\($0)\n" }, "and flushes their replies")
        // Work another connection queues now runs between this connection's turns.
        var ranBeforeOthers = -1
        channel.embeddedEventLoop.execute { ranBeforeOthers = responder.ran.count }
        channel.embeddedEventLoop.run()
        #expect(ranBeforeOthers == 32, "the second turn ran 16 more before the other work")
        #expect(responder.ran == immediateLines(1...40))
        #expect(try replies() == (17...40).map { "\($0)\n" })
    }

    @Test func readingIsHeldWhileLinesAreQueuedAndResumesOnceTheyRan() throws {
        channel.read()
        #expect(reads.reads == 1, "nothing queued: the read goes through")
        receive(immediateLines(1...20))
        channel.read()
        #expect(reads.reads == 1, "four lines still queued: the read is held")
        channel.embeddedEventLoop.run()
        #expect(responder.ran.count == 20)
        #expect(reads.reads == 2, "the held read is issued once the queue is empty")
        channel.read()
        #expect(reads.reads == 3)
    }

    @Test func readingAndRunningWaitWhileThePeerIsNotReadingReplies() throws {
        channel.isWritable = false
        receive(immediateLines(1...3))
        #expect(responder.ran.isEmpty, "nothing runs while replies cannot be written")
        channel.read()
        #expect(reads.reads == 0)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(responder.ran == immediateLines(1...3))
        #expect(try replies() == ["1\n", "2\n", "3\n"])
        #expect(reads.reads == 1)
    }

    @Test func afterChannelInactiveTheQueueIsDroppedAndNothingRuns() throws {
        receive(immediateLines(1...40))
        #expect(responder.ran.count == 16)
        channel.pipeline.fireChannelInactive()
        channel.embeddedEventLoop.run()
        receive(["i:41"])
        channel.embeddedEventLoop.run()
        #expect(responder.ran == immediateLines(1...16), "nothing run for a peer that has gone")
        #expect(try replies().count == 16)
    }

    @Test func aHalfClosedPeerGetsEveryAnswerThenTheConnectionCloses() throws {
        for line in immediateLines(1...40) {
            channel.pipeline.fireChannelRead(InboundFrame.line(ByteBuffer(string: line)))
        }
        // The input side closes with the lines still queued (no read-complete of their own).
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(channel.isActive, "answers first")
        channel.embeddedEventLoop.run()
        #expect(responder.ran == immediateLines(1...40))
        #expect(try replies() == (1...40).map { "\($0)\n" })
        #expect(!channel.isActive, "closed once everything was answered")
    }
}
