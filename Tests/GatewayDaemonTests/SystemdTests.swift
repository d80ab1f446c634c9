import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 2, systemd: socket activation (LISTEN_FDS) and sd_notify (READY, STOPPING, RELOADING,
/// WATCHDOG) over a datagram socket the test owns.
@Suite(.tags(.process)) struct SystemdTests {
    /// A daemon started by `systemd-socket-activate` on `<dir>/gw.sock`, its config pointing
    /// elsewhere (so answering on gw.sock proves the socket was adopted, not bound).
    static func activated(environment: [String: String] = [:]) throws -> (TestDaemon, NotifyListener) {
        let directory = try TemporaryDirectory()
        let notify = try NotifyListener(path: "\(directory)/notify.sock")
        var launcher = [
            "/usr/bin/systemd-socket-activate", "-l", "\(directory)/gw.sock", "-E", "NOTIFY_SOCKET=\(notify.path)",
        ]
        for (key, value) in environment { launcher += ["-E", "\(key)=\(value)"] }
        let daemon = try TestDaemon(
            overrides: ["server": ["socketPath": .string("\(directory)/configured.sock")]], directory: directory,
            launcher: launcher
        )
        return (daemon, notify)
    }

    @Test func adoptsTheActivatedSocketAndNotifiesReadyAndStopping() throws {
        let (daemon, notify) = try Self.activated()
        #expect(notify.waitFor("READY=1"), "\(notify.messages) \(daemon.stderr())")
        let client = try daemon.client()
        #expect(try client.call("system.health")["status"] == "ok")
        #expect(!FileManager.default.fileExists(atPath: "\(daemon.directory)/configured.sock"))
        daemon.signal(SIGTERM)
        #expect(notify.waitFor("STOPPING=1"))
        #expect(try daemon.waitForExit() == 0)
        #expect(daemon.process.terminationReason == .exit)
        // systemd owns the activated socket: the daemon leaves the file in place.
        var info = stat()
        #expect(lstat(daemon.socketPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK)
    }

    @Test func readyComesOnlyOnceTheSocketAnswers() throws {
        // Without socket activation: when READY=1 arrives, a call must already succeed.
        let directory = try TemporaryDirectory()
        let notify = try NotifyListener(path: "\(directory)/notify.sock")
        let daemon = try TestDaemon(environment: ["NOTIFY_SOCKET": notify.path], directory: directory, wait: false)
        #expect(notify.waitFor("READY=1"), "\(notify.messages) \(daemon.stderr())")
        #expect(try daemon.client().call("system.health")["status"] == "ok")
        daemon.signal(SIGINT)
        #expect(notify.waitFor("STOPPING=1"))
        #expect(try daemon.waitForExit() == 0)
    }

    @Test func watchdogKeepAlivesAtHalfTheInterval() throws {
        let (daemon, notify) = try Self.activated(environment: ["WATCHDOG_USEC": "200000"])
        #expect(notify.waitFor("READY=1"), "\(notify.messages) \(daemon.stderr())")
        let messages = notify.collect(for: .seconds(1))
        let keepAlives = messages.filter { $0.split(separator: "\n").contains("WATCHDOG=1") }.count
        // Every 100 ms: about ten in a second; well under that means no keep-alive loop.
        #expect(keepAlives >= 5, "\(messages)")
        #expect(keepAlives <= 15, "\(messages)")
        #expect(try daemon.client().call("system.health")["status"] == "ok")
    }

    @Test func noWatchdogWithoutWatchdogUsec() throws {
        let (daemon, notify) = try Self.activated()
        #expect(notify.waitFor("READY=1"), "\(notify.messages) \(daemon.stderr())")
        let messages = notify.collect(for: .milliseconds(500))
        #expect(!messages.contains { $0.contains("WATCHDOG=1") }, "\(messages)")
    }

    @Test func reloadingThenReadyAroundSighup() throws {
        let (daemon, notify) = try Self.activated()
        #expect(notify.waitFor("READY=1"), "\(notify.messages) \(daemon.stderr())")
        daemon.signal(SIGHUP)
        let deadline = ContinuousClock.now + .seconds(10)
        var seen: [String] = []
        while ContinuousClock.now < deadline, !seen.contains("READY=1"),
            let message = notify.receive(timeout: .seconds(10))
        {
            seen += message.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("MONOTONIC_USEC=") }
        }
        #expect(seen == ["RELOADING=1", "READY=1"])
        #expect(daemon.process.isRunning)
        #expect(try daemon.client().call("system.health")["status"] == "ok")
    }
}
