import AsyncHTTPClient
import GatewayStore
import NIOCore
import NIOHTTP1

/// Sends one outbox row and says whether it was delivered; no database access.
struct HTTPDelivery: Sendable {
    let client: HTTPClient
    let configuration: DeliveryConfiguration

    /// Builds the client on the daemon's event loop group.
    ///
    /// TLS: `tlsConfiguration` nil means NIOSSL's default client configuration, which verifies
    /// the server against the system's CA store (`/etc/ssl/certs` on Debian) and the host name.
    /// Redirects are not followed: a 3xx for a POST/PUT is a misconfigured URL, and following it
    /// would silently send a bearer token or a license key somewhere else.
    static func makeClient(eventLoopGroup: any EventLoopGroup, configuration: DeliveryConfiguration) -> HTTPClient {
        let timeout = TimeAmount.milliseconds(configuration.requestTimeout.milliseconds)
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: nil,
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeout, read: timeout, write: timeout),
            connectionPool: .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxInFlight),
            proxy: nil,
            ignoreUncleanSSLShutdown: false,
            decompression: .disabled
        )
        clientConfiguration.httpVersion = .automatic
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: clientConfiguration)
    }

    /// One attempt; throws the reason it failed. `requestTime` and the token are taken now.
    func send(_ row: OutboxRow) async throws(DeliveryFailure) {
        let request = try buildRequest(row)
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = request.method
        for (name, value) in request.headers { httpRequest.headers.add(name: name, value: value) }
        httpRequest.body = .bytes(ByteBuffer(bytes: request.body))

        let status: UInt
        let body: [UInt8]
        do {
            let deadline = NIODeadline.now() + .milliseconds(configuration.requestTimeout.milliseconds)
            let response = try await client.execute(httpRequest, deadline: deadline)
            status = response.status.code
            var buffer = try await response.body.collect(upTo: DeliveryReply.maxBytes)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as HTTPClientError {
            throw DeliveryFailure("\(error)")
        } catch is CancellationError {
            throw DeliveryFailure("cancelled")
        } catch {
            // NIO's connection errors describe the address and the errno, nothing we sent.
            throw DeliveryFailure("\(error)")
        }
        try DeliveryReply.check(target: row.target, status: status, body: body)
    }

    private func buildRequest(_ row: OutboxRow) throws(DeliveryFailure) -> DeliveryRequest {
        let message = try row.message()
        switch message.target {
        case .esignet:
            guard let baseURL = configuration.esignetBaseURL else { throw DeliveryFailure("esignet.baseURL is null") }
            let token = try configuration.esignetBearerTokenFile.map { (path) throws(DeliveryFailure) in
                try BearerToken.load(path: path)
            }
            return try DeliveryRequest.esignet(message, baseURL: baseURL, bearerToken: token, now: UTCTimestamp.now())
        case .ida:
            guard let hubURL = configuration.idaWebsubHubURL else { throw DeliveryFailure("ida.websubHubURL is null") }
            return DeliveryRequest.ida(message, eventId: row.messageId, occurredAt: row.createdAt, hubURL: hubURL)
        }
    }
}
