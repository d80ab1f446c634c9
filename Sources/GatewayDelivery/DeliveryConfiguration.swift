import GatewayStore

/// Where and how the outbox is delivered (SPEC 1.1 `esignet.*`, `ida.*`; SPEC 5 delivery rules).
///
/// A nil URL is not an error: the embedded default config has no network at all, and its rows
/// simply stay `pending` until an operator configures the target and restarts.
package struct DeliveryConfiguration: Sendable {
    /// `esignet.baseURL`; rows for eSignet go to `baseURL + path` (a trailing `/` is ignored).
    package var esignetBaseURL: String?
    /// `esignet.bearerTokenFile`; read on every attempt so a rotated token is used at once.
    package var esignetBearerTokenFile: String?
    /// `ida.websubHubURL`; the WebSub hub's publish endpoint.
    package var idaWebsubHubURL: String?
    /// The whole exchange (connect, send, read the reply) must finish within this.
    package var requestTimeout: Duration
    /// The wait after the first failed attempt; doubled after each further failure.
    package var initialBackoff: Duration
    /// The longest wait between two attempts.
    package var maxBackoff: Duration
    /// After this many failed attempts a row becomes `failed` and waits for `outbox.retry`.
    package var maxAttempts: Int
    /// How many rows (each of a different ordering key) may be on the wire at once.
    package var maxInFlight: Int
    /// The loop also rescans this often, so rows written without `notifyEnqueued()` (or due by
    /// the wall clock after a restart) are never stranded.
    package var pollInterval: Duration
    /// Where tokens come from; nil keeps `esignetBearerTokenFile` (or no credentials at all).
    package var auth: AuthConfiguration?
    /// `esignet.clientAPI`: which of eSignet's client-management APIs is called.
    package var esignetClientAPI: ESignetClientAPI
    /// `outbox.leaseSeconds` (SPEC 9): how long rows this daemon claimed on a shared database stay
    /// its own; another daemon takes them over after that. Longer than ``requestTimeout``, or a
    /// slow attempt's row could be sent twice at once.
    package var lease: Duration
    /// Who claims (on a shared database): the node name and the process id.
    package var claimant: String

    package init(
        esignetBaseURL: String?,
        esignetBearerTokenFile: String?,
        idaWebsubHubURL: String?,
        requestTimeout: Duration = .seconds(10),
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(300),
        maxAttempts: Int = 20,
        maxInFlight: Int = 16,
        pollInterval: Duration = .seconds(1),
        auth: AuthConfiguration? = nil,
        esignetClientAPI: ESignetClientAPI = .oidcClient,
        lease: Duration = .seconds(30),
        claimant: String = "pms-gatewayd"
    ) {
        self.lease = lease
        self.claimant = claimant
        self.esignetBaseURL = esignetBaseURL
        self.esignetBearerTokenFile = esignetBearerTokenFile
        self.idaWebsubHubURL = idaWebsubHubURL
        self.requestTimeout = requestTimeout
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxAttempts = max(1, maxAttempts)
        self.maxInFlight = max(1, maxInFlight)
        self.pollInterval = pollInterval
        self.auth = auth
        self.esignetClientAPI = esignetClientAPI
    }

    /// The targets that have a URL, as stored in `outbox.target`; only their rows are scanned.
    var enabledTargets: [OutboxMessage.Target] {
        var targets: [OutboxMessage.Target] = []
        if esignetBaseURL != nil { targets.append(.esignet) }
        if idaWebsubHubURL != nil { targets.append(.ida) }
        return targets
    }
}

/// eSignet's client-management APIs (`ClientManagementController`, SPEC 7.2): each newer one
/// carries more of the client.
package enum ESignetClientAPI: String, Sendable, CaseIterable {
    /// eSignet 1.0 and later (deprecated upstream).
    case oidcClient = "oidc-client"
    /// eSignet 1.4 and later: adds `clientNameLangMap`.
    case oauthClient = "oauth-client"
    /// eSignet 1.6 and later: adds `additionalConfig`.
    case client

    /// `/v1/esignet/client-mgmt/<api>`.
    var path: String { "/v1/esignet/client-mgmt/\(rawValue)" }

    /// The request members this API has no place for.
    var unsupportedMembers: [String] {
        switch self {
        case .oidcClient: ["clientNameLangMap", "additionalConfig"]
        case .oauthClient: ["additionalConfig"]
        case .client: []
        }
    }
}
