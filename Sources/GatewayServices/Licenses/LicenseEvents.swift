import GatewayJSON
import GatewayStore

/// The IDA events for MISP licenses: MOSIP's WebSub `EventModel` (SPEC 5), queued in the outbox
/// inside the mutation's transaction so an event exists exactly when its change was committed.
///
/// The body carries the key itself because IDA needs it to validate MISP requests; it lives only
/// in the outbox row and the delivery to IDA, never in a log line or a journal entry.
enum LicenseEvents {
    static let generated = "MISP_LICENSE_GENERATED"
    static let updated = "MISP_LICENSE_UPDATED"
    static let target = "ida"

    static func body(topic: String, license: LicenseRecord, policy: PolicyRecord?, now: String) -> JSONValue {
        var data = JSONObject([("mispLicenseData", mispLicenseData(license))])
        if let policy { data["policyData"] = policy.eventData }
        return WebSubEventModel.body(topic: topic, data: data, at: now)
    }

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
    func enqueueLicenseEvent(_ topic: String, _ license: LicenseRecord) throws {
        let policy = try license.policyId.flatMap { id throws(StoreError) in try self.policy(id) }
        let body = LicenseEvents.body(topic: topic, license: license, policy: policy, now: Timestamp.now())
        try enqueueOutbox(target: LicenseEvents.target, topic: topic, orderingKey: license.mispId, body: body)
    }
}
