import NIOCore

/// What the framing layer hands up: a complete line, or the news that a line was too long.
public enum InboundFrame: Sendable {
    /// One request line without its `\n` (and without a trailing `\r`).
    case line(ByteBuffer)
    /// A line exceeded the limit; its bytes were discarded up to the next `\n`.
    case tooLong
}
