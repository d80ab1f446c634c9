import GatewayCrypto
import GatewayJSON
import GatewayStore
import NIOHTTP1

/// The HTTP request one outbox message turns into (SPEC 5), before any I/O: the one place that
/// knows eSignet's paths and envelope and the WebSub hub's.
struct DeliveryRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: [(String, String)]
    var body: [UInt8]

    /// `POST …/oidc-client` for a create, `PUT …/oidc-client/{clientId}` for an update, with
    /// eSignet's `{requestTime, request}` envelope.
    ///
    /// `requestTime` is stamped anew at every attempt, in eSignet's `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`:
    /// eSignet refuses a `requestTime` more than `mosip.esignet.reqtime.leeway-minutes` (default 2)
    /// away from its clock, so the time the mutation was made would make every retry after a
    /// few minutes of backoff fail for ever.
    static func esignet(
        _ message: OutboxMessage, api: ESignetClientAPI = .oidcClient, baseURL: String, bearerToken: String?,
        now: String
    ) throws(DeliveryFailure) -> DeliveryRequest {
        let method: HTTPMethod
        let path: String
        switch message.topic {
        case .oidcClientCreated:
            (method, path) = (.POST, api.path)
        case .oidcClientUpdated:
            (method, path) = (.PUT, "\(api.path)/\(message.key)")
        case .mispLicenseGenerated, .mispLicenseUpdated:
            throw .permanent("\(message.topic.rawValue) is not an eSignet call")
        }
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let bearerToken { headers.append(("Authorization", "Bearer \(bearerToken)")) }
        var request = message.payload
        for member in api.unsupportedMembers { request[member] = nil }
        let envelope: JSONValue = ["requestTime": .string(now), "request": .object(request)]
        return DeliveryRequest(
            method: method, url: baseURL.trimmingTrailingSlashes() + path, headers: headers,
            body: envelope.serializedBytes())
    }

    /// IDA's event, published as MOSIP's `PublisherClientImpl.publishUpdate` does:
    /// `POST hubURL?hub.mode=publish&hub.topic=<TOPIC>` with the EventModel as the JSON body.
    ///
    /// (The WebSub recommendation puts `hub.mode`/`hub.topic` in a form body, but MOSIP's hub
    /// reads them from the query string of a request whose body is the content itself; MOSIP's
    /// publishers, PMS among them, do exactly this.)
    static func ida(
        _ message: OutboxMessage, eventId: String, occurredAt: String, hubURL: String
    ) -> DeliveryRequest {
        let separator = hubURL.contains("?") ? "&" : "?"
        let url =
            hubURL + separator + "hub.mode=publish&hub.topic=" + FormEncoding.percentEncoded(message.topic.rawValue)
        let event = WebSubEventModel.body(
            topic: message.topic.rawValue, data: message.payload, eventId: eventId,
            transactionId: RandomUUID.make(), at: occurredAt)
        return DeliveryRequest(
            method: .POST, url: url, headers: [("Content-Type", "application/json")], body: event.serializedBytes())
    }
}

extension DeliveryFailure {
    /// A row that no retry can fix (its stored message is unreadable): it goes straight to `failed`.
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

/// MOSIP's WebSub `EventModel`, the body PMS publishes to IDA (SPEC 5).
///
/// `publisher` and `type` are what PMS's client and MISP services put there (they reuse the
/// partner manager's type), so IDA's subscribers see the same envelope as from PMS itself.
enum WebSubEventModel {
    static let publisher = "PartnerManagementServiceImpl"
    static let namespace = "io.mosip.pmp.partner.manager.service.impl.PartnerManagementServiceImpl"

    /// `publishedOn` and `event.timestamp` are the same instant, as in PMS: the change's.
    /// `eventId` is the outbox row's, so every retry names the same event; the transaction is the
    /// attempt.
    static func body(
        topic: String, data: JSONObject, eventId: String, transactionId: String, at timestamp: String
    ) -> JSONValue {
        let event: JSONValue = [
            "id": .string(eventId),
            "transactionId": .string(transactionId),
            "type": ["namespace": .string(namespace), "name": .string(publisher)],
            "timestamp": .string(timestamp),
            "data": .object(data),
        ]
        return [
            "publisher": .string(publisher), "topic": .string(topic), "publishedOn": .string(timestamp), "event": event,
        ]
    }
}

/// Percent-encoding for one query-string value (RFC 3986 unreserved characters kept).
///
/// WebSub topics are plain names (`OIDC_CLIENT_CREATED`), but a topic is data from a row, and a
/// `&` or space in it must not change which parameters the hub sees.
enum FormEncoding {
    static func percentEncoded(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
