import GatewayJSON
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

/// One `access.rules` entry: who it matches and which methods it allows (SPEC 2).
///
/// User and group names are resolved to ids when the config is loaded, so a call never does an
/// NSS lookup on the hot path.
package struct AccessRule: Sendable {
    enum Subject: Sendable, Equatable {
        case uid(UInt32)
        case gid(UInt32)
    }

    let subject: Subject
    /// Method names, or prefixes ending in `.*` (`client.*`), or `*`.
    let allow: [String]

    func matches(_ peer: Peer) -> Bool {
        switch subject {
        case .uid(let uid): peer.uid == uid
        case .gid(let gid): peer.gid == gid || peer.groups.contains(gid)
        }
    }

    func allows(_ method: String) -> Bool {
        allow.contains { pattern in
            if pattern == "*" || pattern == method { return true }
            guard pattern.hasSuffix(".*") else { return false }
            return method.hasPrefix(pattern.dropLast())
        }
    }
}

extension AccessRule {
    static func parse(_ value: JSONValue?, file: String) throws(ConfigurationError) -> [AccessRule] {
        guard let value, value != .null else { return [] }
        guard let entries = value.arrayValue else {
            throw ConfigurationError("config \(file): access.rules must be a list")
        }
        var rules: [AccessRule] = []
        for (index, entry) in entries.enumerated() {
            let prefix = "config \(file): access.rules[\(index)]"
            guard let allowList = entry["allow"]?.arrayValue else {
                throw ConfigurationError("\(prefix) needs \"allow\": a list of method names")
            }
            let allow = allowList.compactMap(\.stringValue)
            guard allow.count == allowList.count else {
                throw ConfigurationError("\(prefix) needs \"allow\": a list of method names")
            }
            guard let subject = subject(of: entry) else {
                throw ConfigurationError(
                    "\(prefix) needs one of \"uid\", \"gid\", \"user\" or \"group\" naming a known id")
            }
            rules.append(AccessRule(subject: subject, allow: allow))
        }
        return rules
    }

    /// The rule's subject; `nil` when none is given or a name does not resolve.
    private static func subject(of entry: JSONValue) -> Subject? {
        if let uid = entry["uid"]?.intValue, let id = UInt32(exactly: uid) { return .uid(id) }
        if let gid = entry["gid"]?.intValue, let id = UInt32(exactly: gid) { return .gid(id) }
        if let user = entry["user"]?.stringValue, let record = getpwnam(user) { return .uid(record.pointee.pw_uid) }
        if let group = entry["group"]?.stringValue, let record = getgrnam(group) { return .gid(record.pointee.gr_gid) }
        return nil
    }
}
