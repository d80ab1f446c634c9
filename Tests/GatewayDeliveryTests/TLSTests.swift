import GatewayDelivery
import GatewayStore
import GatewayTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// An https URL gets real TLS with certificate verification against the system's CA store: a
/// self-signed server (no network needed) must be refused, and the refusal is the row's lastError.
@Suite struct TLSTests {
    @Test(.enabled(if: access("/usr/bin/openssl", X_OK) == 0))
    func anUntrustedCertificateIsRefused() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        try Shell.run(
            "cd '\(directory.path)' && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem"
                + " -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1")
        // Port 0: the kernel picks a free port, and s_server prints it (`ACCEPT 127.0.0.1:PORT`)
        // once it listens.
        let server = try ChildProcess(
            executable: "/usr/bin/openssl",
            arguments: [
                "s_server", "-accept", "127.0.0.1:0", "-cert", directory.file("cert.pem"), "-key",
                directory.file("key.pem"), "-www",
            ],
            environment: ChildProcess.environment([:]), stdout: .file(directory.file("server.out")))
        defer { server.killAndReap() }
        var port: Int?
        try await eventually("openssl s_server listening") {
            port = acceptedPort(in: (try? String(contentsOfFile: directory.file("server.out"), encoding: .utf8)) ?? "")
            return port != nil || !server.isRunning
        }
        let listening = try #require(port, "s_server exited \(server.terminationStatus)")

        let store = try openStore(directory)
        try await enqueue(store, esignetCreate(clientId: "c1"))
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(esignet: "https://127.0.0.1:\(listening)", ida: nil, maxAttempts: 1))
        try await eventually("failed") { try outboxRows(store).first?.status == "failed" }
        await running.stop()
        let error = try #require(try outboxRows(store).first?.lastError)
        print("TLS refusal recorded as: \(error)")
        #expect(
            error.lowercased().contains("certificate") || error.contains("CERTIFICATE") || error.contains("handshake"))
    }

    /// The port in s_server's `ACCEPT 127.0.0.1:PORT` line.
    func acceptedPort(in output: String) -> Int? {
        output.split(separator: "\n").lazy.compactMap { line -> Int? in
            guard line.hasPrefix("ACCEPT "), let colon = line.lastIndex(of: ":") else { return nil }
            return Int(line[line.index(after: colon)...])
        }.first
    }
}
