import GatewayJSON
import GatewayStore

/// Whether a receiver's answer means "delivered" (SPEC 5).
///
/// eSignet answers its `ResponseWrapper` (`{responseTime, response, errors}`) with HTTP 200 even
/// when it refuses the call, so the `errors` list decides, not the status alone. Only the error
/// codes and messages reach `lastError`: they are eSignet's own words, never our request.
enum DeliveryReply {
    /// The largest reply read; a reply is a few hundred bytes, and reading stops here either way.
    static let maxBytes = 256 * 1024

    static func check(target: OutboxMessage.Target, status: UInt, body: [UInt8]) throws(DeliveryFailure) {
        let errors = target == .esignet ? errorSummary(body) : nil
        guard (200..<300).contains(status) else {
            throw DeliveryFailure("HTTP \(status)" + (errors.map { ": \($0)" } ?? ""))
        }
        if let errors { throw DeliveryFailure("eSignet errors: \(errors)") }
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
