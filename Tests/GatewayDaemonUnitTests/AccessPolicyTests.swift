import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayDaemon

/// SPEC 2, access control: root and the daemon's own uid may call everything, anyone
/// `system.health` and `rpc.discover`, others only what a rule allows them by uid or by a group
/// the peer process holds (primary or supplementary, as SO_PEERCRED/SO_PEERGROUPS report them).
@Suite struct AccessPolicyTests {
    static let daemonUID: UInt32 = 4242

    static func policy(_ rules: JSONValue) throws -> AccessPolicy {
        AccessPolicy(rules: try AccessRule.parse(rules, file: "test.json"), daemonUID: daemonUID)
    }

    static func peer(uid: UInt32, gid: UInt32 = 5000, groups: [UInt32] = []) -> Peer {
        Peer(uid: uid, gid: gid, pid: 99, groups: groups)
    }

    @Test func rootAndTheDaemonsOwnUIDMayCallEverything() throws {
        let policy = try Self.policy([])
        for uid in [0, Self.daemonUID] {
            #expect(policy.allows("partner.put", peer: Self.peer(uid: uid)))
            #expect(policy.allows("system.backup", peer: Self.peer(uid: uid)))
        }
        #expect(!policy.allows("partner.put", peer: Self.peer(uid: 1000)))
    }

    @Test func healthAndDiscoveryAreOpenToEveryone() throws {
        let policy = try Self.policy([])
        let stranger = Self.peer(uid: 65534, gid: 65534)
        #expect(policy.allows("system.health", peer: stranger))
        #expect(policy.allows("rpc.discover", peer: stranger))
        #expect(!policy.allows("journal.list", peer: stranger))
        #expect(!policy.allows("system.backup", peer: stranger))
    }

    @Test func aUIDRuleAllowsItsMethodsToThatUIDOnly() throws {
        let policy = try Self.policy([["uid": 1001, "allow": ["journal.list", "journal.verify"]]])
        #expect(policy.allows("journal.list", peer: Self.peer(uid: 1001)))
        #expect(policy.allows("journal.verify", peer: Self.peer(uid: 1001)))
        #expect(!policy.allows("journal.lister", peer: Self.peer(uid: 1001)))
        #expect(!policy.allows("partner.put", peer: Self.peer(uid: 1001)))
        #expect(!policy.allows("journal.list", peer: Self.peer(uid: 1002)))
    }

    @Test func aGroupRuleMatchesThePrimaryGroupAndHeldSupplementaryGroups() throws {
        let policy = try Self.policy([["gid": 300, "allow": ["partner.*", "client.get"]]])
        let primary = Self.peer(uid: 1000, gid: 300)
        let supplementary = Self.peer(uid: 1000, gid: 100, groups: [200, 300, 400])
        let outsider = Self.peer(uid: 1000, gid: 100, groups: [200, 400])
        for peer in [primary, supplementary] {
            #expect(policy.allows("partner.put", peer: peer))
            #expect(policy.allows("partner.mapPolicy", peer: peer))
            #expect(policy.allows("client.get", peer: peer))
            #expect(!policy.allows("client.create", peer: peer))
            #expect(!policy.allows("partnerx.put", peer: peer), "a prefix rule ends at its dot")
        }
        #expect(!policy.allows("partner.put", peer: outsider))
    }

    @Test func aStarAllowsEverythingAndRulesAddUp() throws {
        let policy = try Self.policy([
            ["uid": 1001, "allow": ["*"]], ["uid": 1002, "allow": ["client.get"]],
            ["gid": 77, "allow": ["license.validate"]],
        ])
        #expect(policy.allows("system.backup", peer: Self.peer(uid: 1001)))
        #expect(policy.allows("client.get", peer: Self.peer(uid: 1002, gid: 77)))
        #expect(policy.allows("license.validate", peer: Self.peer(uid: 1002, gid: 77)))
        #expect(!policy.allows("license.generate", peer: Self.peer(uid: 1002, gid: 77)))
    }

    @Test func userAndGroupNamesResolveWhenTheConfigLoads() throws {
        let policy = try Self.policy([["user": "root", "allow": ["a.b"]], ["group": "root", "allow": ["c.d"]]])
        #expect(policy.rules.map(\.subject) == [.uid(0), .gid(0)])
    }

    @Test(arguments: [
        (#"{"uid":1}"#, "access.rules must be a list"),
        (#"[{"uid":1}]"#, "access.rules[0] needs \"allow\""),
        (#"[{"uid":1,"allow":["a",2]}]"#, "access.rules[0] needs \"allow\""),
        (#"[{"uid":1,"allow":[]},{"allow":["a"]}]"#, "access.rules[1] needs one of"),
        (#"[{"user":"no-such-user-here","allow":["a"]}]"#, "access.rules[0] needs one of"),
        (#"[{"uid":-1,"allow":["a"]}]"#, "access.rules[0] needs one of"),
    ])
    func malformedRulesAreConfigurationErrorsNamingTheRule(json: String, message: String) throws {
        let rules = try JSONValue.parse(json)
        let error = #expect(throws: ConfigurationError.self) { try AccessRule.parse(rules, file: "test.json") }
        #expect(error?.message.contains("config test.json: \(message)") == true, "\(String(describing: error))")
    }
}
