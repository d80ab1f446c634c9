import GatewayStore

/// Who made a call, for the journal entry a mutation writes.
public struct CallContext: Sendable {
    public var peer: Peer
    /// The JSON-RPC id's JSON text; `nil` for notifications.
    public var requestId: String?

    public init(peer: Peer, requestId: String?) {
        self.peer = peer
        self.requestId = requestId
    }
}
