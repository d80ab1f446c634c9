import GatewayDelivery
import GatewayStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// An https URL gets real TLS with certificate verification against the system's CA store: a
/// self-signed server (no network needed) must be refused, and the refusal is the row's lastError.
@Suite struct TLSTests {
    @Test(.enabled(if: access("/usr/bin/openssl", X_OK) == 0))
    func anUntrustedCertificateIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let port = 20000 + Int(getpid() % 20000)
        let setup = """
            cd '\(directory.path)' && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
              -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1 && \
            (openssl s_server -accept 127.0.0.1:\(port) -cert cert.pem -key key.pem -www -quiet >/dev/null 2>&1 & echo $! > pid)
            """
        try #require(system(setup) == 0)
        defer { _ = system("kill $(cat '\(directory.path)/pid') 2>/dev/null") }
        try await Task.sleep(for: .milliseconds(300))

        let store = try openStore(directory)
        try await enqueue(store, esignetCreate(clientId: "c1"))
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(esignet: "https://127.0.0.1:\(port)", ida: nil, maxAttempts: 1))
        try await eventually("failed") { try outboxRows(store).first?.status == "failed" }
        await running.stop()
        let error = try #require(try outboxRows(store).first?.lastError)
        print("TLS refusal recorded as: \(error)")
        #expect(
            error.lowercased().contains("certificate") || error.contains("CERTIFICATE") || error.contains("handshake"))
    }
}
