import GatewayJSON
import GatewayStore
import NIOHTTP1

/// The HTTP request one outbox row turns into (SPEC 5), before any I/O.
struct DeliveryRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: [(String, String)]
    var body: [UInt8]

    /// eSignet rows hold `{method, path, body}`: `body` goes to `baseURL + path` as JSON.
    ///
    /// `requestTime` is stamped anew at every attempt, in eSignet's `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`:
    /// eSignet refuses a `requestTime` more than `mosip.esignet.reqtime.leeway-minutes` (default 2)
    /// away from its clock, so the time the mutation was made would make every retry after a
    /// few minutes of backoff fail for ever.
    static func esignet(
        _ row: OutboxRow, baseURL: String, bearerToken: String?, now: String
    ) throws(DeliveryFailure) -> DeliveryRequest {
        guard case .object(let envelope)? = try? JSONValue.parse(row.body, maxDepth: 256) else {
            throw .permanent("outbox row is not a JSON object")
        }
        let method: HTTPMethod
        switch envelope["method"]?.stringValue {
        case "POST"?: method = .POST
        case "PUT"?: method = .PUT
        default: throw .permanent("outbox row has no method POST or PUT")
        }
        guard let path = envelope["path"]?.stringValue, path.hasPrefix("/"),
            !path.contains(where: { $0 == "?" || $0 == "#" || $0.isWhitespace })
        else { throw .permanent("outbox row has no absolute path") }
        guard case .object(var payload)? = envelope["body"] else {
            throw .permanent("outbox row has no JSON object body")
        }
        payload["requestTime"] = .string(now)

        var headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let bearerToken { headers.append(("Authorization", "Bearer \(bearerToken)")) }
        return DeliveryRequest(
            method: method, url: baseURL.trimmingTrailingSlashes() + path, headers: headers,
            body: JSONValue.object(payload).serializedBytes())
    }

    /// IDA rows hold the EventModel; it is published as MOSIP's `PublisherClientImpl.publishUpdate`
    /// does: `POST hubURL?hub.mode=publish&hub.topic=<TOPIC>` with the event as the JSON body.
    ///
    /// (The WebSub recommendation puts `hub.mode`/`hub.topic` in a form body, but MOSIP's hub
    /// reads them from the query string of a request whose body is the content itself; MOSIP's
    /// publishers, PMS among them, do exactly this.)
    static func ida(_ row: OutboxRow, hubURL: String) throws(DeliveryFailure) -> DeliveryRequest {
        guard !row.topic.isEmpty else { throw .permanent("outbox row has no WebSub topic") }
        let separator = hubURL.contains("?") ? "&" : "?"
        let url = hubURL + separator + "hub.mode=publish&hub.topic=" + FormEncoding.percentEncoded(row.topic)
        return DeliveryRequest(
            method: .POST, url: url, headers: [("Content-Type", "application/json")], body: Array(row.body.utf8))
    }
}

extension DeliveryFailure {
    /// A row that no retry can fix (its stored body is malformed): it goes straight to `failed`.
    static func permanent(_ message: String) -> DeliveryFailure {
        var failure = DeliveryFailure(message)
        failure.permanent = true
        return failure
    }
}

extension String {
    fileprivate func trimmingTrailingSlashes() -> String {
        var text = self
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
