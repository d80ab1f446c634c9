import GatewayCrypto
import GatewayJSON
import GatewayStore

/// The write-transaction bodies of the license methods: checks, row change, journal entry and
/// IDA event, all in one transaction so none of them exists without the others.
enum LicenseMutations {
    /// `license.generate` after its parameters were read. Also answers the license's MISP policy,
    /// which the IDA event already read, for the policy-flag warnings (SPEC 7.5).
    static func generate(
        _ tx: inout WriteTransaction, mispId: String, rules: LicenseRules, context: CallContext
    ) throws -> (license: LicenseRecord, policy: PolicyRecord?) {
        let policyId = try LicenseChecks.forGenerate(mispId, in: tx)
        let license = LicenseRecord.issued(
            mispId: mispId, key: try freshKey(in: tx, length: rules.length), policyId: policyId,
            now: UTCTimestamp.nowMilliseconds(), rules: rules)
        do {
            try tx.execute(
                """
                INSERT INTO licenses (misp_id, license_key, status, policy_id, created_at, issued_at, expires_at,
                    expires_at_ms, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    SQLValue(license.mispId), SQLValue(license.licenseKey), SQLValue(license.status.rawValue),
                    SQLValue(license.policyId), SQLValue(license.createdAt), SQLValue(license.issuedAt),
                    SQLValue(license.expiresAt), .integer(license.expiresAtMilliseconds), SQLValue(license.updatedAt),
                ])
        } catch {
            guard error.code == .constraint else { throw error }
            // Another daemon on the same PostgreSQL database committed a license for this MISP
            // after the check above looked (SPEC 9): the UNIQUE index on misp_id refuses this one.
            throw LicenseErrors.licenseExists
        }
        let policy = try record(&tx, "license.generate", .mispLicenseGenerated, license, context)
        return (license, policy)
    }

    /// `license.update`: a status change only; the key and its expiry stay as they are.
    /// Setting the status a license already has changes nothing and records nothing.
    static func update(
        _ tx: inout WriteTransaction, mispId: String, key: String, status: LicenseStatus, context: CallContext
    ) throws -> LicenseRecord {
        // Locked: a renewal on another daemon waits, and then finds the status this sets.
        let rows = try tx.query(
            "SELECT \(LicenseRecord.columns) FROM licenses WHERE misp_id = ? AND license_key = ?\(tx.lockingRowsRead)",
            [SQLValue(mispId), SQLValue(key)])
        guard let row = rows.first else { throw LicenseErrors.pairUnknown }
        var license = try LicenseRecord(row: row)
        guard license.status != status else { return license }
        license.status = status
        license.updatedAt = UTCTimestamp.now()
        try tx.execute(
            "UPDATE licenses SET status = ?, updated_at = ? WHERE misp_id = ?",
            [SQLValue(status.rawValue), SQLValue(license.updatedAt), SQLValue(mispId)])
        try record(&tx, "license.update", .mispLicenseUpdated, license, context)
        return license
    }

    /// Replaces an expired active key with a fresh one (what `license.get` promises), re-checking
    /// inside the transaction: a concurrent call may already have replaced it or de-activated it.
    static func renewIfExpired(
        _ tx: inout WriteTransaction, mispId: String, rules: LicenseRules, method: String, context: CallContext
    ) throws -> LicenseRecord {
        var license = try LicenseChecks.usable(
            partner: try tx.partner(mispId), license: try tx.lockedLicense(mispId: mispId))
        let now = UTCTimestamp.nowMilliseconds()
        guard license.isExpired(at: now) else { return license }
        license = license.reissued(key: try freshKey(in: tx, length: rules.length), now: now, rules: rules)
        try tx.execute(
            """
            UPDATE licenses SET license_key = ?, issued_at = ?, expires_at = ?, expires_at_ms = ?, updated_at = ?
            WHERE misp_id = ?
            """,
            [
                SQLValue(license.licenseKey), SQLValue(license.issuedAt), SQLValue(license.expiresAt),
                .integer(license.expiresAtMilliseconds), SQLValue(license.updatedAt), SQLValue(mispId),
            ])
        try record(&tx, method, .mispLicenseUpdated, license, context)
        return license
    }

    /// The journal entry and the IDA event every license mutation writes; answers the event's policy.
    @discardableResult
    private static func record(
        _ tx: inout WriteTransaction, _ method: String, _ topic: OutboxMessage.Topic, _ license: LicenseRecord,
        _ context: CallContext
    ) throws -> PolicyRecord? {
        tx.journal(context.draft(method, "license", license.mispId, change: license.journalChange))
        return try tx.enqueueLicenseEvent(topic, license)
    }

    /// A key no other license holds. With the default 50 characters a collision never happens; the
    /// bounded retry matters only for deployments that configure very short keys.
    static func freshKey(in tx: borrowing WriteTransaction, length: Int) throws -> String {
        for _ in 0..<64 {
            let key = LicenseKeyGenerator.generate(length: length)
            if try !tx.licenseKeyExists(key) { return key }
        }
        throw LicenseKeySpaceExhausted(length: length)
    }
}

extension LicenseRecord {
    /// A new active license whose key was issued at `now`.
    static func issued(mispId: String, key: String, policyId: String?, now: Int64, rules: LicenseRules) -> LicenseRecord
    {
        let at = UTCTimestamp.format(epochMilliseconds: now)
        let expiry = expiry(from: now, rules: rules)
        return LicenseRecord(
            mispId: mispId, licenseKey: key, status: .active, policyId: policyId, createdAt: at, issuedAt: at,
            expiresAt: UTCTimestamp.format(epochMilliseconds: expiry), expiresAtMilliseconds: expiry, updatedAt: at)
    }

    /// This license with `key` issued at `now`: a new expiry, the rest (status, policy, creation) kept.
    func reissued(key: String, now: Int64, rules: LicenseRules) -> LicenseRecord {
        var copy = LicenseRecord.issued(mispId: mispId, key: key, policyId: policyId, now: now, rules: rules)
        copy.status = status
        copy.createdAt = createdAt
        return copy
    }

    /// `validityDays` whole days after `now`, milliseconds kept, so the arithmetic is exact in UTC.
    static func expiry(from now: Int64, rules: LicenseRules) -> Int64 {
        now + Int64(rules.validityDays) * 86_400_000
    }
}

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
    /// Queues `topic` for IDA about `license`, ordered per MISP so IDA sees a partner's keys in
    /// order; answers the policy it put in the event.
    func enqueueLicenseEvent(_ topic: OutboxMessage.Topic, _ license: LicenseRecord) throws -> PolicyRecord? {
        var data = JSONObject([("mispLicenseData", LicenseEvents.mispLicenseData(license))])
        let policy = try license.policyId.flatMap { id throws(StoreError) in try self.policy(id) }
        if let policy { data["policyData"] = policy.eventData }
        try enqueue(OutboxMessage(target: .ida, topic: topic, key: license.mispId, payload: data))
        return policy
    }
}
