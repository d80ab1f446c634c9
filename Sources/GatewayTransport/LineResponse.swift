import NIOCore

/// What the application answers for one line.
///
/// Most calls on the hot paths (`client.get`, `license.validate`, `system.health`) can be answered
/// on the event loop at once; hopping to a task and back for them would cost more than the call.
/// Everything else (writes that wait for a commit) is answered later, still in request order.
package enum LineResponse: Sendable {
    /// The reply bytes (a complete line), or `nil` when nothing is to be sent (notifications).
    case immediate([UInt8]?)
    /// Work to run off the event loop; its reply is written when it is its turn.
    case deferred(@Sendable () async -> [UInt8]?)
    /// Work that waits without blocking its thread (a lookup whose row comes from the network):
    /// it runs as a task on the connection's own event loop, so that neither its start nor its
    /// reply costs a hop to another thread.
    case suspending(@Sendable () async -> [UInt8]?)
}

/// Answers the lines of one connection. Created once per connection, when its peer is known.
package protocol LineResponder: Sendable {
    func respond(to frame: InboundFrame) -> LineResponse
}

/// Makes the responder for a new connection.
package protocol LineResponderFactory: Sendable {
    func responder(for peer: PeerCredentials) -> any LineResponder
}

/// What the framing layer hands up: a complete line, or the news that a line was too long.
package enum InboundFrame: Sendable {
    /// One request line without its `\n` (and without a trailing `\r`).
    case line(ByteBuffer)
    /// A line exceeded the limit; its bytes were discarded up to the next `\n`.
    case tooLong
}
