import Foundation
import GatewayJSON
import Testing

/// SPEC 2: no input, however malformed, stops the daemon or affects other connections;
/// connection limits and idle timeouts.
@Suite struct RobustnessTests {
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
        // waitUntilReady's probe connection may still be counted for a moment.
        usleep(200_000)
        var admitted: [RPCClient] = []
        for _ in 0..<8 {
            let client = try daemon.client()
            #expect(try client.call("system.health")["status"] == "ok")
            admitted.append(client)
        }
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
        let deadline = ContinuousClock.now + .seconds(5)
        while reopened == nil && ContinuousClock.now < deadline {
            usleep(50_000)
            reopened = try? RPCClient(path: daemon.socketPath, timeoutSeconds: 2).call("system.health")
        }
        #expect(reopened?["status"] == "ok")
    }

    @Test func idleConnectionsAreClosed() throws {
        let daemon = try TestDaemon(overrides: ["server": ["idleTimeoutSeconds": 1]])
        let silent = try RPCClient(path: daemon.socketPath, timeoutSeconds: 6)
        let chatty = try daemon.client()
        let started = ContinuousClock.now
        // The chatty client talks every 300 ms and stays open past the timeout.
        for _ in 0..<8 {
            #expect(try chatty.call("system.health")["status"] == "ok")
            usleep(300_000)
        }
        // The silent one was closed by then (EOF), after about a second.
        #expect(silent.isClosedByPeer())
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(try chatty.call("system.health")["status"] == "ok")
    }

    @Test func aReaderThatNeverReadsDoesNotDelayOthers() async throws {
        let daemon = try TestDaemon()
        let slow = try daemon.client()
        // Thousands of pipelined calls with large answers, never read: the daemon's writes to
        // this connection block. The writer runs on its own thread because its send blocks too.
        let request = RequestLine.call(id: 1, "rpc.discover") + "\n"
        let batch = String(repeating: request, count: 500)
        let fd = slow.fd
        let writer = Thread {
            for _ in 0..<20 {
                let bytes = Array(batch.utf8)
                var offset = 0
                while offset < bytes.count {
                    let sent = bytes[offset...].withUnsafeBytes {
                        send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                    }
                    if sent <= 0 { return }
                    offset += sent
                }
            }
        }
        writer.start()
        try await Task.sleep(for: .milliseconds(500))
        let other = try daemon.client()
        for _ in 0..<5 {
            let started = ContinuousClock.now
            #expect(try other.call("system.health")["status"] == "ok")
            #expect(ContinuousClock.now - started < .seconds(2))
        }
        // The stuck connection is still there (the daemon neither dropped it nor stopped).
        #expect(daemon.process.isRunning)
        shutdown(fd, Int32(SHUT_RDWR))
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
        // Every line got an answer (all parse errors or too large) and then the good one.
        var last: JSONValue?
        repeat {
            last = try garbage.readJSON()
            if last?["id"] != 1234 { #expect(last?.rpcErrorCode == -32700 || last?.rpcErrorCode == -32600) }
        } while last?["id"] != 1234
        #expect(last?["result"]?["status"] == "ok")
    }
}
