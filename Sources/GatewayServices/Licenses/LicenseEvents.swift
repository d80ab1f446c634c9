import GatewayJSON
import GatewayStore

/// The IDA events for MISP licenses (SPEC 5), queued in the outbox inside the mutation's
/// transaction so an event exists exactly when its change was committed.
///
/// The payload carries the key itself because IDA needs it to validate MISP requests; it lives only
/// in the outbox row and the delivery to IDA, never in a log line or a journal entry.
enum LicenseEvents {
    static func mispLicenseData(_ license: LicenseRecord) -> JSONValue {
        [
            "mispId": .string(license.mispId), "licenseKey": .string(license.licenseKey),
            "mispCommenceOn": .string(license.issuedAt), "mispExpiresOn": .string(license.expiresAt),
            "mispStatus": .string(license.status.eventValue),
        ]
    }
}

extension WriteTransaction {
    /// Queues `topic` for IDA about `license`, ordered per MISP so IDA sees a partner's keys in order.
    func enqueueLicenseEvent(_ topic: OutboxMessage.Topic, _ license: LicenseRecord) throws {
        var data = JSONObject([("mispLicenseData", LicenseEvents.mispLicenseData(license))])
        if let policy = try license.policyId.flatMap({ id throws(StoreError) in try self.policy(id) }) {
            data["policyData"] = policy.eventData
        }
        try enqueue(OutboxMessage(target: .ida, topic: topic, key: license.mispId, payload: data))
    }
}
