import AsyncHTTPClient
import GatewayStore
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends one outbox row and says whether it was delivered; no database access.
struct HTTPDelivery: Sendable {
    let client: HTTPClient
    let configuration: DeliveryConfiguration
    /// Tokens for eSignet and the hub when `auth.kind` is set.
    let tokens: TokenSource?
    let registeredTopics: RegisteredTopics

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
    ///
    /// With `auth.kind` set, a 401 means the token went stale: it is fetched again and the
    /// request sent once more in the same attempt; a second 401 fails the attempt. Before the
    /// first publish to a topic, the topic is registered at the hub (MOSIP's `registerTopic`).
    func send(_ row: OutboxRow) async throws(DeliveryFailure) {
        let message = try row.message()
        var token = try await tokens?.token(client: client)
        if message.target == .ida { try await registerTopic(message.topic, token: token) }
        var reply = try await execute(try buildRequest(row, message, token: token))
        if reply.status == 401, let tokens, let refused = token {
            token = try await tokens.token(client: client, replacing: refused)
            reply = try await execute(try buildRequest(row, message, token: token))
        }
        try DeliveryReply.check(target: row.target, status: reply.status, body: reply.body)
    }

    private func execute(_ request: DeliveryRequest) async throws(DeliveryFailure) -> (status: UInt, body: [UInt8]) {
        var httpRequest = HTTPClientRequest(url: request.url)
        httpRequest.method = request.method
        for (name, value) in request.headers { httpRequest.headers.add(name: name, value: value) }
        httpRequest.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let deadline = NIODeadline.now() + .milliseconds(configuration.requestTimeout.milliseconds)
            let response = try await client.execute(httpRequest, deadline: deadline)
            var buffer = try await response.body.collect(upTo: DeliveryReply.maxBytes)
            return (response.status.code, buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch let error as HTTPClientError {
            throw DeliveryFailure("\(error)")
        } catch is CancellationError {
            throw DeliveryFailure("cancelled")
        } catch {
            // NIO's connection errors describe the address and the errno, nothing we sent.
            throw DeliveryFailure("\(error)")
        }
    }

    /// `POST hubURL` with `hub.mode=register&hub.topic=TOPIC`, once per topic in the daemon's
    /// life. A reply saying the topic exists already is a success; any other failure fails this
    /// attempt of the row being published (it is retried like any other).
    private func registerTopic(_ topic: OutboxMessage.Topic, token: String?) async throws(DeliveryFailure) {
        guard let hubURL = configuration.idaWebsubHubURL else { return }
        try await registeredTopics.ensure(topic) { () async throws(DeliveryFailure) in
            try await register(topic, at: hubURL, token: token)
        }
    }

    private func register(_ topic: OutboxMessage.Topic, at hubURL: String, token: String?) async throws(DeliveryFailure)
    {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let token { headers.append(("Cookie", "Authorization=\(token)")) }
        let form = "hub.mode=register&hub.topic=" + FormEncoding.percentEncoded(topic.rawValue)
        let reply = try await execute(
            DeliveryRequest(method: .POST, url: hubURL, headers: headers, body: Array(form.utf8)))
        let text = String(decoding: reply.body, as: UTF8.self).lowercased()
        guard (200..<300).contains(reply.status) || text.contains("already") else {
            throw DeliveryFailure("registering topic \(topic.rawValue) at the hub: HTTP \(reply.status)")
        }
    }

    private func buildRequest(_ row: OutboxRow, _ message: OutboxMessage, token: String?) throws(DeliveryFailure)
        -> DeliveryRequest
    {
        switch message.target {
        case .esignet:
            guard let baseURL = configuration.esignetBaseURL else { throw DeliveryFailure("esignet.baseURL is null") }
            var bearer = token
            if bearer == nil, let path = configuration.esignetBearerTokenFile {
                bearer = try BearerToken.load(path: path)
            }
            return try DeliveryRequest.esignet(
                message, api: configuration.esignetClientAPI, baseURL: baseURL, bearerToken: bearer,
                now: UTCTimestamp.now())
        case .ida:
            guard let hubURL = configuration.idaWebsubHubURL else { throw DeliveryFailure("ida.websubHubURL is null") }
            var request = DeliveryRequest.ida(
                message, eventId: row.messageId, occurredAt: row.createdAt, hubURL: hubURL)
            // MOSIP's hub takes the auth manager's token as a cookie, as MOSIP's own publishers send it.
            if let token { request.headers.append(("Cookie", "Authorization=\(token)")) }
            return request
        }
    }
}

/// The topics registered at the hub in this daemon's life, shared by every attempt.
///
/// An actor so that concurrent first publishes of a topic wait for one registration instead of
/// each sending their own; a failed registration is forgotten, and the next attempt tries again.
actor RegisteredTopics {
    private var registered: Set<OutboxMessage.Topic> = []
    private var registering: [OutboxMessage.Topic: Task<Void, any Error>] = [:]

    func ensure(
        _ topic: OutboxMessage.Topic, register: @escaping @Sendable () async throws(DeliveryFailure) -> Void
    ) async throws(DeliveryFailure) {
        guard !registered.contains(topic) else { return }
        let task = registering[topic] ?? Task { try await register() }
        registering[topic] = task
        let outcome = await task.result
        if registering[topic] == task { registering[topic] = nil }
        switch outcome {
        case .success:
            registered.insert(topic)
        case .failure(let error):
            throw (error as? DeliveryFailure) ?? DeliveryFailure("registering topic \(topic.rawValue): \(error)")
        }
    }
}
