import GatewayStore

#if canImport(Glibc)
    import Glibc
#endif

/// Decides whether a peer may call a method (SPEC 2, access control).
///
/// Group rules match the groups the peer process holds, as the kernel reported them when it
/// connected (`SO_PEERGROUPS`), never what `/etc/group` lists for its user: a process that
/// dropped a group has no business using it, and one given a group by its service manager has.
struct AccessPolicy: Sendable {
    /// Methods every peer may call, whatever the rules say.
    static let openMethods: Set<String> = ["system.health", "rpc.discover"]

    let rules: [AccessRule]
    let daemonUID: UInt32

    init(rules: [AccessRule], daemonUID: UInt32 = getuid()) {
        self.rules = rules
        self.daemonUID = daemonUID
    }

    func allows(_ method: String, peer: Peer) -> Bool {
        if peer.uid == 0 || peer.uid == daemonUID || Self.openMethods.contains(method) { return true }
        return rules.contains { $0.matches(peer) && $0.allows(method) }
    }
}
