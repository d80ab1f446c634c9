import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 2, access control by peer credentials (SO_PEERCRED): root and the daemon's own uid may
/// call everything; anyone else what a rule allows, plus `system.health` and `rpc.discover`.
///
/// Other users are played by `setpriv ... socat`, so these tests need root (as CI runs them).
@Suite(.tags(.process), .enabled(if: getuid() == 0, "needs root to run a client as another user"))
struct AccessControlTests {
    /// The lines each test sends as `nobody`, with ids 1...5.
    static let probe = [
        RequestLine.call(id: 1, "partner.put", params: Fixtures.partner("P-ACL").serialized()),
        RequestLine.call(id: 2, "partner.get", params: #"{"partnerId":"P-ACL"}"#),
        RequestLine.call(id: 3, "system.health"),
        RequestLine.call(id: 4, "rpc.discover"),
        RequestLine.call(id: 5, "journal.list"),
    ]

    static func daemon(rules: JSONValue) throws -> TestDaemon {
        try TestDaemon(overrides: ["server": ["socketMode": "0666"], "access": ["rules": rules]])
    }

    /// Sends ``probe`` as nobody/nogroup and returns the replies by id.
    static func probeAsNobody(_ daemon: TestDaemon) throws -> [Int: JSONValue] {
        let (output, lines) = try ShellCommand.socat(
            socket: daemon.socketPath, lines: probe, asUser: "nobody", group: "nogroup")
        #expect(output.status == 0, "\(output)")
        var replies: [Int: JSONValue] = [:]
        for line in lines {
            let value = try #require(line.value, "not JSON: \(line.text)")
            if let id = value["id"]?.intValue { replies[id] = value }
        }
        #expect(replies.count == probe.count, "\(output)")
        return replies
    }

    static func isForbidden(_ reply: JSONValue?) -> Bool {
        reply?.rpcErrorCode == -32010 && reply?.rpcErrorName == "GW_FORBIDDEN"
    }

    @Test func userRuleAllowsOnlyItsMethods() throws {
        let daemon = try Self.daemon(rules: [["user": "nobody", "allow": ["partner.get"]]])
        let replies = try Self.probeAsNobody(daemon)
        #expect(Self.isForbidden(replies[1]))
        #expect(!Self.isForbidden(replies[2]))
        #expect(
            replies[2]?.rpcErrorCode == -32001, "partner.get runs and finds nothing: \(replies[2]?.serialized() ?? "")")
        #expect(replies[3]?["result"]?["status"] == "ok")
        #expect(replies[4]?["result"]?["methods"]?.arrayValue?.isEmpty == false)
        #expect(Self.isForbidden(replies[5]))
        // Nothing was written on nobody's behalf.
        #expect(try daemon.client().call("journal.list")["entries"]?.arrayValue?.isEmpty == true)
    }

    @Test func rootMayCallEverything() throws {
        let daemon = try Self.daemon(rules: [["user": "nobody", "allow": ["partner.get"]]])
        let (output, lines) = try ShellCommand.socat(socket: daemon.socketPath, lines: Self.probe)
        #expect(output.status == 0)
        let replies = lines.compactMap(\.value)
        #expect(replies.count == Self.probe.count)
        #expect(replies.allSatisfy { $0["result"] != nil }, "\(output.stdout)")
        #expect(!replies.contains { Self.isForbidden($0) })
    }

    @Test(arguments: [
        ["gid": 65534, "allow": ["partner.get"]],
        ["group": "nogroup", "allow": ["partner.get"]],
        ["uid": 65534, "allow": ["partner.*"]] as JSONValue,
    ])
    func gidGroupAndUIDRules(rule: JSONValue) throws {
        let daemon = try Self.daemon(rules: [rule])
        let replies = try Self.probeAsNobody(daemon)
        #expect(!Self.isForbidden(replies[2]))
        #expect(replies[3]?["result"]?["status"] == "ok")
        #expect(Self.isForbidden(replies[5]))
        if rule["allow"] == ["partner.*"] {
            #expect(replies[1]?["result"]?["partnerId"] == "P-ACL", "a prefix rule allows partner.put")
            // The journal entry names the peer as the kernel reported it.
            let entries = try #require(try daemon.client().call("journal.list")["entries"]?.arrayValue)
            let peer = try #require(entries.first { $0["method"] == "partner.put" }?["peer"])
            #expect(peer["uid"] == 65534 && peer["gid"] == 65534)
            #expect((peer["pid"]?.intValue ?? 0) > 0)
        } else {
            #expect(Self.isForbidden(replies[1]))
        }
    }

    @Test func aRuleForSomeoneElseAllowsNothing() throws {
        let daemon = try Self.daemon(rules: [["user": "daemon", "allow": ["*"]], ["gid": 0, "allow": ["*"]]])
        let replies = try Self.probeAsNobody(daemon)
        #expect(Self.isForbidden(replies[1]))
        #expect(Self.isForbidden(replies[2]))
        #expect(Self.isForbidden(replies[5]))
        #expect(replies[3]?["result"]?["status"] == "ok")
        #expect(replies[4]?["result"] != nil)
    }

    @Test func forbiddenInsideABatchIsPerEntry() throws {
        let daemon = try Self.daemon(rules: [["user": "nobody", "allow": ["partner.get"]]])
        let batch = "[" + Self.probe.joined(separator: ",") + "]"
        let (output, lines) = try ShellCommand.socat(
            socket: daemon.socketPath, lines: [batch], asUser: "nobody", group: "nogroup")
        let entries = try #require(lines.first?.value?.arrayValue, "\(output)")
        #expect(entries.count == 5)
        #expect(entries.filter { Self.isForbidden($0) }.compactMap { $0["id"]?.intValue }.sorted() == [1, 5])
    }
}
