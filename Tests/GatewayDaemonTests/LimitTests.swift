import Foundation
import GatewayJSON
import Testing

/// SPEC 2, limits: each answered with a JSON-RPC error, the connection kept usable.
@Suite(.tags(.process)) struct LimitTests {
    /// A `system.health` request line of exactly `bytes` bytes (without the newline).
    static func paddedHealth(id: Int, bytes: Int) -> String {
        let empty = RequestLine.call(id: id, "system.health", params: #"{"pad":""}"#)
        let pad = String(repeating: "x", count: bytes - empty.utf8.count)
        let line = RequestLine.call(id: id, "system.health", params: #"{"pad":"\#(pad)"}"#)
        precondition(line.utf8.count == bytes)
        return line
    }

    @Test func lineOverTheLimitIsRejectedAndTheConnectionStaysUsable() throws {
        let client = try TestDaemon(overrides: ["server": ["maxRequestBytes": 4096]]).client()
        // At the limit: accepted (also with `\r\n`); one byte over: rejected.
        try client.send(Self.paddedHealth(id: 1, bytes: 4096) + "\n")
        try client.send(Self.paddedHealth(id: 2, bytes: 4096) + "\r\n")
        try client.send(Self.paddedHealth(id: 3, bytes: 4097) + "\n")
        try client.send(
            Self.paddedHealth(id: 4, bytes: 20_000) + "\n" + RequestLine.call(id: 5, "system.health") + "\n")
        let replies = try client.readJSON(count: 4)
        #expect(replies[0]["id"] == 1 && replies[0]["result"]?["status"] == "ok")
        #expect(replies[1]["id"] == 2 && replies[1]["result"]?["status"] == "ok")
        for tooLarge in replies[2...3] {
            #expect(tooLarge["id"] == .null)
            #expect(tooLarge.rpcErrorCode == -32600)
            #expect(tooLarge.rpcErrorName == "GW_REQUEST_TOO_LARGE")
        }
        // The rest of the long line was discarded: the next reply is the next request's.
        let after = try client.readJSON()
        #expect(after["id"] == 5)
        #expect(after["result"]?["status"] == "ok")
    }

    @Test func twoMebibyteLineAtTheDefaultLimit() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        // Written in pieces, as a real client would; a newline inside the JSON string would end
        // the line early, so the whole 2 MiB is one line.
        try client.send(#"{"jsonrpc":"2.0","id":1,"method":"system.health","params":{"pad":""#)
        let chunk = String(repeating: "y", count: 64 * 1024)
        for _ in 0..<32 { try client.send(chunk) }
        try client.send("\"}}\n" + RequestLine.call(id: 2, "system.health") + "\n")
        let tooLarge = try client.readJSON()
        #expect(tooLarge.rpcErrorName == "GW_REQUEST_TOO_LARGE")
        #expect(tooLarge.rpcErrorCode == -32600)
        #expect(tooLarge["id"] == .null)
        let next = try client.readJSON()
        #expect(next["id"] == 2)
        #expect(next["result"]?["status"] == "ok")
        // A second connection was never affected.
        #expect(try daemon.client().call("system.health")["status"] == "ok")
    }

    @Test func batchOverMaxBatchIsRejected() throws {
        let client = try TestDaemon(overrides: ["server": ["maxBatch": 10]]).client()
        let batch = { (count: Int) in
            "[" + (1...count).map { RequestLine.call(id: $0, "system.health") }.joined(separator: ",") + "]\n"
        }
        try client.send(batch(11))
        let rejected = try client.readJSON()
        #expect(rejected.objectValue != nil)
        #expect(rejected["id"] == .null)
        #expect(rejected.rpcErrorCode == -32600)
        #expect(rejected.rpcErrorName == "GW_BATCH_TOO_LARGE")
        try client.send(batch(10))
        #expect(try client.readJSON().arrayValue?.count == 10)
    }

    @Test func defaultMaxBatchIsOneHundred() throws {
        let client = try TestDaemon().client()
        let batch = { (count: Int) in
            "[" + (1...count).map { RequestLine.call(id: $0, "system.health") }.joined(separator: ",") + "]\n"
        }
        try client.send(batch(100))
        #expect(try client.readJSON().arrayValue?.count == 100)
        try client.send(batch(101))
        #expect(try client.readJSON().rpcErrorName == "GW_BATCH_TOO_LARGE")
    }

    /// A request whose nesting is `depth` deep in total, the request object itself counting as one.
    static func nested(depth: Int, id: Int) -> String {
        // Object (1) → params object (2) → "deep" array (3) ... so depth - 2 arrays.
        let arrays = depth - 2
        let value = String(repeating: "[", count: arrays) + String(repeating: "]", count: arrays)
        return RequestLine.call(id: id, "system.health", params: #"{"deep":\#(value)}"#)
    }

    @Test func nestingDeeperThanSixtyFourIsAParseError() throws {
        let client = try TestDaemon().client()
        try client.send(Self.nested(depth: 64, id: 1) + "\n")
        try client.send(Self.nested(depth: 65, id: 2) + "\n")
        try client.send(String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "\n")
        try client.send(String(repeating: "[", count: 65) + String(repeating: "]", count: 65) + "\n")
        let replies = try client.readJSON(count: 4)
        #expect(replies[0]["id"] == 1)
        #expect(replies[0]["result"]?["status"] == "ok")
        #expect(replies[1].rpcErrorCode == -32700)
        #expect(replies[1]["id"] == .null)
        // 64 nested arrays parse (a batch whose one entry is invalid); 65 do not.
        #expect(replies[2].rpcErrorCode != -32700)
        #expect(replies[3].rpcErrorCode == -32700)
    }

    @Test(arguments: [
        [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ])
    func invalidUTF8InAStringIsAParseError(bytes: [UInt8]) throws {
        let client = try TestDaemon().client()
        var line = Array(#"{"jsonrpc":"2.0","id":1,"method":"partner.get","params":{"partnerId":"a"#.utf8)
        line += bytes
        line += Array(#"b"}}"#.utf8) + [0x0A]
        try client.send(bytes: line)
        try client.send(RequestLine.call(id: 2, "system.health") + "\n")
        let reply = try client.readJSON()
        #expect(reply.rpcErrorCode == -32700)
        #expect(reply["id"] == .null)
        #expect(try client.readJSON()["id"] == 2)
    }

    @Test func hundredThousandOpenBracketsDoNotCrashTheDaemon() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.send(String(repeating: "[", count: 100_000) + "\n")
        try client.send(String(repeating: "{\"a\":", count: 100_000) + "\n")
        try client.send(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
        for _ in 0..<3 {
            let reply = try client.readJSON()
            #expect(reply.rpcErrorCode == -32700)
            #expect(reply["id"] == .null)
        }
        try client.send(RequestLine.call(id: 9, "system.health") + "\n")
        #expect(try client.readJSON()["id"] == 9)
        #expect(daemon.process.isRunning)
    }
}
