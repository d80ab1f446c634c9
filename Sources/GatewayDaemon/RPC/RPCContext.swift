import GatewayServices
import GatewayStore
import GatewayTransport

/// What a handler knows about the call beyond its params.
public struct RPCContext: Sendable {
    public let peer: PeerCredentials
    /// The JSON-RPC id's JSON text (`nil` for notifications), recorded in journal entries.
    public let requestId: String?

    /// The journal's view of this call.
    var call: CallContext {
        CallContext(peer: Peer(uid: peer.uid, gid: peer.gid, pid: peer.pid), requestId: requestId)
    }
}
