import NIOCore

/// An accepted connection: the framed channel and the peer it belongs to.
public struct Connection: Sendable {
    public let channel: NIOAsyncChannel<InboundFrame, ByteBuffer>
    public let peer: PeerCredentials
}
