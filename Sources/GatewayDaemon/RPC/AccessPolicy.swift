import GatewayTransport

#if canImport(Glibc)
    import Glibc
#endif

/// Decides whether a peer may call a method (SPEC 2, access control).
struct AccessPolicy: Sendable {
    /// Methods every peer may call, whatever the rules say.
    static let openMethods: Set<String> = ["system.health", "rpc.discover"]

    let rules: [AccessRule]
    let daemonUID: UInt32

    init(rules: [AccessRule], daemonUID: UInt32 = getuid()) {
        self.rules = rules
        self.daemonUID = daemonUID
    }

    /// Computed once per connection: the peer's supplementary groups, so group rules see them too.
    func supplementaryGroups(of peer: PeerCredentials) -> [UInt32] {
        guard rules.contains(where: { if case .gid = $0.subject { true } else { false } }),
            let record = getpwuid(peer.uid)
        else { return [] }
        var count: CInt = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(record.pointee.pw_name, peer.gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(record.pointee.pw_name, peer.gid, &groups, &count)
        }
        return Array(groups.prefix(Int(max(count, 0))))
    }

    func allows(_ method: String, peer: PeerCredentials, supplementaryGroups: [UInt32]) -> Bool {
        if peer.uid == 0 || peer.uid == daemonUID || Self.openMethods.contains(method) { return true }
        return rules.contains { $0.matches(peer, supplementaryGroups: supplementaryGroups) && $0.allows(method) }
    }
}
