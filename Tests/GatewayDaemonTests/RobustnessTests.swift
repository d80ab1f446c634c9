import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 2: no input, however malformed, stops the daemon or affects other connections;
/// connection limits and idle timeouts.
@Suite(.tags(.process)) struct RobustnessTests {
    @Test func hundredsOfHalfLinesThatVanishLeaveTheDaemonServing() throws {
        let daemon = try TestDaemon()
        let watcher = try daemon.client()
        var clients: [RPCClient] = []
        for index in 0..<300 {
            let client = try daemon.client()
            try client.send(#"{"jsonrpc":"2.0","id":\#(index),"method":"sys"#)
            clients.append(client)
        }
        // Half of them vanish with an unfinished line...
        clients.removeFirst(150)
        #expect(try watcher.call("system.health")["status"] == "ok")
        // ...the others finish their line (they still get their answer), then vanish too.
        for client in clients.prefix(20) {
            try client.send(#"tem.health"}"# + "\n")
            #expect(try client.readJSON()["result"]?["status"] == "ok")
        }
        clients.removeAll()
        #expect(try watcher.call("system.health")["status"] == "ok")
        #expect(try daemon.client().call("system.health")["status"] == "ok")
        #expect(daemon.process.isRunning)
    }

    @Test func connectionsOverTheLimitAreClosedAtOnce() throws {
        let daemon = try TestDaemon(overrides: ["server": ["maxConnections": 8]])
        // waitUntilReady's probe connection may still be counted for a moment: wait until eight
        // connections are all admitted (each answers), starting over while one is refused.
        var admitted: [RPCClient] = []
        let full = Poll.until {
            admitted = (0..<8).compactMap { _ in try? daemon.client() }
            return admitted.count == 8 && admitted.allSatisfy { (try? $0.call("system.health")) != nil }
        }
        try #require(full, "eight connections were never admitted at once")
        // Each one over the limit is closed without an answer, and at once (not after a timeout);
        // refusing many does not disturb the accept loop.
        for _ in 0..<20 {
            let started = ContinuousClock.now
            let refused = try RPCClient(path: daemon.socketPath, timeoutSeconds: 5)
            try? refused.send(RequestLine.call(id: 1, "system.health") + "\n")
            #expect(refused.isClosedByPeer())
            #expect(ContinuousClock.now - started < .seconds(2))
        }
        // The admitted ones keep working.
        for client in admitted {
            #expect(try client.call("system.health")["status"] == "ok")
        }
        // A slot freed by a closing client is available again.
        admitted.removeLast()
        var reopened: JSONValue?
        Poll.until(timeout: .seconds(5)) {
            reopened = try? RPCClient(path: daemon.socketPath, timeoutSeconds: 2).call("system.health")
            return reopened != nil
        }
        #expect(reopened?["status"] == "ok")
    }

    @Test func idleConnectionsAreClosed() throws {
        let daemon = try TestDaemon(overrides: ["server": ["idleTimeoutSeconds": 1]])
        var silent = try RPCClient(path: daemon.socketPath, timeoutSeconds: 6)
        let chatty = try daemon.client()
        // The chatty client talks at least every 250 ms while a silent one is closed (EOF, after
        // about a second), then while a second silent one is: it stays open past two timeouts.
        for round in 1...2 {
            let started = ContinuousClock.now
            var closed = false
            while !closed, ContinuousClock.now - started < .seconds(5) {
                #expect(try chatty.call("system.health")["status"] == "ok")
                closed = silent.isClosedByPeer(within: .milliseconds(250))
            }
            #expect(closed, "silent connection \(round) was not closed")
            #expect(ContinuousClock.now - started < .seconds(5))
            silent = try RPCClient(path: daemon.socketPath, timeoutSeconds: 6)
        }
        #expect(try chatty.call("system.health")["status"] == "ok")
    }

    @Test func aReaderThatNeverReadsDoesNotDelayOthers() throws {
        let daemon = try TestDaemon()
        let slow = try daemon.client()
        // Thousands of pipelined calls with large answers, never read: the daemon's writes to
        // this connection block. The writer runs on its own thread because its send blocks too.
        let request = RequestLine.call(id: 1, "rpc.discover") + "\n"
        let writer = slow.sendInBackground(Array(String(repeating: request, count: 500).utf8), count: 20)
        // The daemon has answered far more than anyone read: its replies pile up unread.
        #expect(Poll.until(timeout: .seconds(20)) { slow.unreadBytes >= 64 * 1024 }, "\(slow.unreadBytes) bytes unread")
        let other = try daemon.client()
        for _ in 0..<5 {
            let started = ContinuousClock.now
            #expect(try other.call("system.health")["status"] == "ok")
            #expect(ContinuousClock.now - started < .seconds(2))
        }
        // The stuck connection is still there (the daemon neither dropped it nor stopped).
        #expect(daemon.process.isRunning)
        #expect(slow.finish(writer))
    }

    @Test func garbageOnOneConnectionDoesNotAffectAnother() throws {
        let daemon = try TestDaemon()
        let other = try daemon.client()
        let garbage = try daemon.client()
        var random = SystemRandomNumberGenerator()
        var bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes += [0x0A]
        try garbage.send(bytes: bytes)
        try garbage.send(bytes: [0x00, 0x0A, 0x7B, 0x0A, 0x22, 0x0A])
        #expect(try other.call("system.health")["status"] == "ok")
        try garbage.send(RequestLine.call(id: 1234, "system.health") + "\n")
        // Every line got an answer (all parse errors or too large) and then the good one; never
        // more answers than lines were sent.
        let lines = bytes.filter { $0 == 0x0A }.count + 3 + 1
        var last: JSONValue?
        var replies = 0
        repeat {
            last = try garbage.readJSON()
            replies += 1
            if last?["id"] != 1234 { #expect(last?.rpcErrorCode == -32700 || last?.rpcErrorCode == -32600) }
        } while last?["id"] != 1234 && replies <= lines
        #expect(replies <= lines, "\(replies) replies to \(lines) lines")
        #expect(last?["result"]?["status"] == "ok")
    }
}
