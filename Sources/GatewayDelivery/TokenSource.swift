import AsyncHTTPClient
import GatewayCrypto
import GatewayJSON
import GatewayStore
import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where tokens for eSignet and the WebSub hub come from (SPEC 7.1, `auth.*`).
package struct AuthConfiguration: Sendable {
    package enum Kind: String, Sendable {
        /// MOSIP's kernel auth manager (`/v1/authmanager/authenticate/clientidsecretkey`).
        case authManager = "authmanager"
        /// An OAuth 2.0 client-credentials token endpoint (Keycloak).
        case clientCredentials = "client-credentials"
    }

    package var kind: Kind
    package var tokenURL: String
    package var clientId: String
    /// Already resolved against `$CREDENTIALS_DIRECTORY` where that applies.
    package var secretFile: String
    /// The auth manager's `appId` (PMS's is `partner`).
    package var appId: String?
    package var refreshBeforeExpiry: Duration

    package init(
        kind: Kind, tokenURL: String, clientId: String, secretFile: String, appId: String?,
        refreshBeforeExpiry: Duration = .seconds(60)
    ) {
        self.kind = kind
        self.tokenURL = tokenURL
        self.clientId = clientId
        self.secretFile = secretFile
        self.appId = appId
        self.refreshBeforeExpiry = refreshBeforeExpiry
    }
}

/// The current token for eSignet and the hub: fetched when missing or about to expire, fetched
/// again after a 401, shared by every delivery in flight.
///
/// An actor because concurrent deliveries must share one fetch: the first caller starts it, the
/// others await the same task. The token and the secret live in memory only; neither reaches a
/// log line, `lastError`, the outbox or the journal.
package actor TokenSource {
    package nonisolated let configuration: AuthConfiguration
    private var current: (token: String, expiresAt: ContinuousClock.Instant)?
    private var fetching: Task<(String, Duration), any Error>?
    private var secret: String?
    /// What `system.health` shows, readable from the event loop without waiting for the actor.
    private let published = Mutex<(expiresAt: ContinuousClock.Instant?, lastError: String?)>((nil, nil))
    /// Fetches made so far (for `system.health` and tests: deliveries must not each fetch).
    private(set) var fetches = 0

    package init(configuration: AuthConfiguration) {
        self.configuration = configuration
    }

    /// A token valid for at least `refreshBeforeExpiry`; `replacing` one that a receiver refused
    /// (401) forces a new fetch unless another caller already replaced it.
    func token(client: HTTPClient, replacing refused: String? = nil) async throws(DeliveryFailure) -> String {
        if let current, current.token != refused,
            current.expiresAt - configuration.refreshBeforeExpiry > .now
        {
            return current.token
        }
        if fetching == nil {
            let secret: String
            if let cached = self.secret {
                secret = cached
            } else {
                do throws(DeliveryFailure) {
                    secret = try Self.readSecret(configuration.secretFile)
                } catch {
                    published.withLock { $0.lastError = error.message }
                    throw error
                }
            }
            self.secret = secret
            let configuration = self.configuration
            fetches += 1
            fetching = Task { try await Self.fetch(configuration, secret: secret, client: client) }
        }
        let task = fetching!
        do {
            let (token, lifetime) = try await task.value
            if fetching == task { fetching = nil }
            let expiresAt = ContinuousClock.now + lifetime
            current = (token, expiresAt)
            published.withLock { $0 = (expiresAt, nil) }
            return token
        } catch {
            if fetching == task { fetching = nil }
            let failure = (error as? DeliveryFailure) ?? DeliveryFailure("token fetch failed: \(error)")
            published.withLock { $0.lastError = failure.message }
            throw failure
        }
    }

    /// SIGHUP: the secret file is read again at the next fetch (a rotated secret takes effect
    /// without a restart); the current token stays until it expires or is refused.
    package func reloadSecret() {
        secret = nil
    }

    /// For `system.health`: how long the current token is still good, and the last fetch error.
    package nonisolated func status() -> (validForSeconds: Int?, lastError: String?) {
        let (expiresAt, lastError) = published.withLock { $0 }
        let left = expiresAt.map { max(0, Int(($0 - .now).components.seconds)) }
        return (left, lastError)
    }

    static func readSecret(_ path: String) throws(DeliveryFailure) -> String {
        do {
            return try BearerToken.load(path: path)
        } catch {
            throw DeliveryFailure("auth.secretFile cannot be read")
        }
    }

    /// One fetch: the token and how long it lives (the JWT's `exp`, else `expires_in`, else 15 min).
    static func fetch(_ configuration: AuthConfiguration, secret: String, client: HTTPClient) async throws -> (
        String, Duration
    ) {
        var request = HTTPClientRequest(url: configuration.tokenURL)
        request.method = .POST
        switch configuration.kind {
        case .authManager:
            request.headers.add(name: "Content-Type", value: "application/json")
            let body: JSONValue = [
                "id": "string", "version": "1.0", "requesttime": .string(UTCTimestamp.now()), "metadata": [:],
                "request": [
                    "clientId": .string(configuration.clientId), "secretKey": .string(secret),
                    "appId": JSONValue(configuration.appId),
                ],
            ]
            request.body = .bytes(ByteBuffer(bytes: body.serializedBytes()))
        case .clientCredentials:
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let form = [
                ("grant_type", "client_credentials"), ("client_id", configuration.clientId), ("client_secret", secret),
            ].map { "\($0)=\(FormEncoding.percentEncoded($1))" }.joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response: HTTPClientResponse
        let body: [UInt8]
        do {
            response = try await client.execute(request, deadline: .now() + .seconds(10))
            var buffer = try await response.body.collect(upTo: 256 * 1024)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            throw DeliveryFailure("token fetch failed: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw DeliveryFailure("token fetch failed: HTTP \(response.status.code)")
        }
        let reply = try? JSONValue.parse(body, maxDepth: 64)
        let token: String?
        var expiresIn: Int?
        switch configuration.kind {
        case .authManager:
            if let errors = reply?["errors"]?.arrayValue, !errors.isEmpty {
                let codes = errors.compactMap { $0["errorCode"]?.stringValue }.joined(separator: ", ")
                throw DeliveryFailure("token fetch failed: auth manager errors \(codes)")
            }
            token = response.headers.first(name: "authorization") ?? cookieToken(response.headers)
        case .clientCredentials:
            token = reply?["access_token"]?.stringValue
            expiresIn = reply?["expires_in"]?.intValue
        }
        guard let token, !token.isEmpty else { throw DeliveryFailure("token fetch failed: the reply has no token") }
        let lifetime: Duration
        if let expiry = jwtExpiry(token) {
            lifetime = .milliseconds(max(0, expiry * 1000 - UTCTimestamp.nowMilliseconds()))
        } else if let expiresIn {
            lifetime = .seconds(expiresIn)
        } else {
            lifetime = .seconds(15 * 60)
        }
        return (token, lifetime)
    }

    /// The `Authorization` cookie of `Set-Cookie`, as the auth manager also sets it.
    static func cookieToken(_ headers: HTTPHeaders) -> String? {
        for value in headers["set-cookie"] {
            guard let pair = value.split(separator: ";").first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingSpaces == "Authorization" { return String(parts[1]) }
        }
        return nil
    }

    /// A JWT's `exp` claim (seconds since the epoch), or nil for a token that is not a JWT.
    static func jwtExpiry(_ token: String) -> Int64? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64.decodeURL(String(parts[1])),
            let exp = (try? JSONValue.parse(payload, maxDepth: 16))?["exp"]?.intValue
        else { return nil }
        return Int64(exp)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
