/// Why one delivery attempt failed, in words fit for `outbox.last_error` and a log line.
///
/// Built only from what is safe to show: the HTTP status, the receiver's error codes, a transport
/// error's description. Never from the body we sent: IDA's MISP events carry license keys.
struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    /// True when retrying cannot help (a malformed row): the row becomes `failed` at once.
    var permanent = false

    init(_ message: String) {
        // Keeps the column and the log line short whatever a receiver sends back.
        self.message = message.count > 500 ? String(message.prefix(500)) + "…" : message
    }

    var description: String { message }
}
