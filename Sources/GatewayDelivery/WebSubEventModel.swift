import GatewayJSON

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
