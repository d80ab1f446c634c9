import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import GatewayTransport

// `ByteToMessageDecoderVerifier` compares outputs; the transport's frame type need not be
// Equatable for anything else, so the tests give it the conformance.
extension InboundFrame: Equatable {
    public static func == (lhs: InboundFrame, rhs: InboundFrame) -> Bool {
        switch (lhs, rhs) {
        case (.line(let left), .line(let right)): left == right
        case (.tooLong, .tooLong): true
        default: false
        }
    }
}

/// NDJSON framing (SPEC 2): one request per `\n`-terminated line, a trailing `\r` dropped,
/// blank lines ignored, and a line over the limit reported once while the rest of it is dropped.
@Suite struct LineFrameDecoderTests {
    static func line(_ text: String) -> InboundFrame { .line(ByteBuffer(string: text)) }

    /// NIO's verifier feeds every input whole, byte by byte, and all inputs in one buffer, in
    /// shuffled orders, and checks each produces exactly its outputs.
    @Test func framesEveryWayTheBytesArrive() throws {
        let limit = String(repeating: "x", count: 16)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            stringInputOutputPairs: [
                (#"{"id":1}"# + "\n", [Self.line(#"{"id":1}"#)]),
                ("crlf\r\n", [Self.line("crlf")]),
                ("a\rb\n", [Self.line("a\rb")]),  // a bare \r is not a line end
                ("\n", []),
                (" \t\r\n", []),
                ("two\nlines\n", [Self.line("two"), Self.line("lines")]),
                (limit + "\n", [Self.line(limit)]),
                (limit + "y\n", [.tooLong]),
                (String(repeating: "z", count: 100) + "\n", [.tooLong]),
            ],
            decoderFactory: { LineFrameDecoder(maxLineBytes: 16) })
    }

    /// A line of exactly the limit ending in `\r\n` is within the limit (the `\r` is not part of
    /// the request), however its bytes arrive.
    @Test func aCRLFLineAtTheLimitIsAcceptedWhenDripFed() throws {
        let limit = String(repeating: "x", count: 16)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            stringInputOutputPairs: [(limit + "\r\n", [Self.line(limit)])],
            decoderFactory: { LineFrameDecoder(maxLineBytes: 16) })
        // Arriving whole, too.
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 16)))
        try channel.writeInbound(ByteBuffer(string: limit + "\r\n"))
        #expect(try channel.readInbound(as: InboundFrame.self) == Self.line(limit))
        #expect(try channel.finish().isClean)
    }

    /// However long an unterminated line grows, it is reported once, at the moment it crosses the
    /// limit, and the next line after its `\n` is framed normally.
    @Test func anOverlongLineIsReportedOnceAsSoonAsItCrossesTheLimit() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 16)))
        try channel.writeInbound(ByteBuffer(string: String(repeating: "a", count: 16)))
        #expect(try channel.readInbound(as: InboundFrame.self) == nil, "at the limit, not over it yet")
        try channel.writeInbound(ByteBuffer(string: "b"))
        #expect(try channel.readInbound(as: InboundFrame.self) == .tooLong)
        for _ in 0..<100 { try channel.writeInbound(ByteBuffer(string: String(repeating: "c", count: 1000))) }
        #expect(try channel.readInbound(as: InboundFrame.self) == nil, "reported once")
        try channel.writeInbound(ByteBuffer(string: "rest\nnext\n"))
        #expect(try channel.readInbound(as: InboundFrame.self) == Self.line("next"))
        #expect(try channel.readInbound(as: InboundFrame.self) == nil)
        #expect(try channel.finish().isClean)
    }

    /// A last line without `\n` is incomplete by NDJSON's rules: at EOF it is dropped, not run.
    @Test func anUnterminatedLastLineIsDroppedAtEOF() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 16)))
        try channel.writeInbound(ByteBuffer(string: "whole\npart"))
        #expect(try channel.readInbound(as: InboundFrame.self) == Self.line("whole"))
        channel.pipeline.fireChannelInactive()
        #expect(try channel.readInbound(as: InboundFrame.self) == nil)
    }
}
