import NIOCore

/// NDJSON framing with a hard line limit.
///
/// NIO's `LineBasedFrameDecoder` has no limit and `NIOSplitLinesMessageDecoder` splits on a bare
/// `\r`; neither fits. An over-long line yields one ``InboundFrame/tooLong`` as soon as the limit
/// is crossed and the rest of the line is dropped as it arrives, so memory stays bounded by the
/// limit however long the line is, and the connection stays usable afterwards.
package struct LineFrameDecoder: ByteToMessageDecoder {
    package typealias InboundOut = InboundFrame

    private let maxLineBytes: Int
    private var discarding = false
    /// How far the buffer was already searched for `\n`, so a slowly arriving line is scanned once.
    private var scanned = 0

    package init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        let searchStart = view.index(view.startIndex, offsetBy: scanned)
        guard let newline = view[searchStart...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            // A trailing `\r` may be the start of the `\r\n` that ends a line at the limit.
            let pending = view.last == UInt8(ascii: "\r") ? view.count - 1 : view.count
            if pending > maxLineBytes {
                buffer.moveReaderIndex(forwardBy: view.count)
                scanned = 0
                if !discarding {
                    discarding = true
                    context.fireChannelRead(wrapInboundOut(.tooLong))
                }
            }
            return .needMoreData
        }
        let length = newline - view.startIndex
        scanned = 0
        if discarding {
            discarding = false
            buffer.moveReaderIndex(forwardBy: length + 1)
            return .continue
        }
        var line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1)!
        }
        if line.readableBytes > maxLineBytes {
            context.fireChannelRead(wrapInboundOut(.tooLong))
        } else if !line.readableBytesView.allSatisfy(Self.isWhitespace) {
            context.fireChannelRead(wrapInboundOut(.line(line)))
        }
        return .continue
    }

    package mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A final line without `\n` is incomplete by NDJSON's rules: the peer is gone, drop it.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
