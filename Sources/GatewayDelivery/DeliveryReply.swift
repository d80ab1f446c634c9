import GatewayJSON
import GatewayStore

/// What a receiver's answer means (SPEC 7.3): delivered, rejected, or worth trying again.
///
/// eSignet answers its `ResponseWrapper` (`{responseTime, response, errors}`) with HTTP 200 even
/// when it refuses the call, so a non-empty `errors` list is a rejection whatever the status, as
/// are 400, 403, 404, 409 and 422. The hub rejects with a 4xx other than 401, 408 and 429.
/// Everything else (5xx, 401 after a fresh token, 408, 429) is transient. Only the error codes
/// and messages reach `lastError`: they are the receiver's own words, never our request.
enum DeliveryReply {
    /// The largest reply read; a reply is a few hundred bytes, and reading stops here either way.
    static let maxBytes = 256 * 1024

    static func check(target: OutboxMessage.Target, status: UInt, body: [UInt8]) throws(DeliveryFailure) {
        let errors = target == .esignet ? errorSummary(body) : nil
        let rejected: Bool
        switch target {
        case .esignet: rejected = errors != nil || [400, 403, 404, 409, 422].contains(status)
        case .ida: rejected = (400..<500).contains(status) && ![401, 408, 429].contains(status)
        }
        if rejected {
            var failure = DeliveryFailure(errors ?? "HTTP \(status)")
            failure.rejection = target == .esignet ? firstErrorCode(body) ?? "HTTP \(status)" : "HTTP \(status)"
            throw failure
        }
        guard (200..<300).contains(status) else { throw DeliveryFailure("HTTP \(status)") }
    }

    /// The first `errors[].errorCode`, which is what eSignet's caller shows.
    static func firstErrorCode(_ body: [UInt8]) -> String? {
        (try? JSONValue.parse(body, maxDepth: 64))?["errors"]?.arrayValue?.first?["errorCode"]?.stringValue
    }

    /// `code (message), …` for a non-empty `errors` list; nil when there is none or the body is
    /// not JSON (a 2xx without a parsable body is taken as accepted: the status says so).
    static func errorSummary(_ body: [UInt8]) -> String? {
        guard !body.isEmpty, let reply = try? JSONValue.parse(body, maxDepth: 64),
            let errors = reply["errors"]?.arrayValue, !errors.isEmpty
        else { return nil }
        return errors.map { error -> String in
            let code = error["errorCode"]?.stringValue ?? "?"
            guard let message = error["errorMessage"]?.stringValue, !message.isEmpty, message != code else {
                return code
            }
            return "\(code) (\(message))"
        }.joined(separator: ", ")
    }
}
