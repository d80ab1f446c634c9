import GatewayJSON
import GatewayStore
import Logging

/// Partners, policies and their mappings, as PMS pushes them (SPEC 4.2).
///
/// Upserts are idempotent: a put identical to what is stored changes nothing and journals
/// nothing, so PMS can replay its records safely. Reads go straight to a read connection.
///
/// A struct, not an actor: it keeps no state of its own; the store's single writer orders the
/// puts, and each put's check and change share one transaction.
package struct PartnerRegistry: Sendable {
    let store: Store
    let logger: Logger

    package init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// `partner.put`.
    package func put(_ partner: PartnerRecord, context: CallContext) async throws -> PartnerRecord {
        try await upsert(
            context.draft("partner.put", "partner", partner.partnerId, change: partner.json),
            isCurrent: { tx in try tx.partner(partner.partnerId) == partner },
            sql: """
                INSERT INTO partners (partner_id, partner_type, name, status, certificate_data, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                ON CONFLICT (partner_id) DO UPDATE SET partner_type = ?2, name = ?3, status = ?4,
                    certificate_data = ?5, updated_at = ?6
                """,
            bindings: [
                SQLValue(partner.partnerId), SQLValue(partner.partnerType), SQLValue(partner.name),
                SQLValue(partner.status), SQLValue(partner.certificateData),
            ])
        return partner
    }

    /// `partner.get`.
    package func partner(_ partnerId: String) throws -> PartnerRecord {
        guard let partner = try store.read({ connection in try connection.partner(partnerId) }) else {
            throw GatewayError.notFound("partner \(partnerId)")
        }
        return partner
    }

    /// `policy.put`.
    package func put(_ policy: PolicyRecord, context: CallContext) async throws -> PolicyRecord {
        try await upsert(
            context.draft("policy.put", "policy", policy.policyId, change: policy.json),
            isCurrent: { tx in try tx.policy(policy.policyId) == policy },
            sql: """
                INSERT INTO policies (policy_id, policy_type, name, description, status, valid_from, valid_to, policy,
                    created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
                ON CONFLICT (policy_id) DO UPDATE SET policy_type = ?2, name = ?3, description = ?4, status = ?5,
                    valid_from = ?6, valid_to = ?7, policy = ?8, updated_at = ?9
                """,
            bindings: [
                SQLValue(policy.policyId), SQLValue(policy.policyType), SQLValue(policy.name),
                SQLValue(policy.description), SQLValue(policy.status), SQLValue(policy.validFrom),
                SQLValue(policy.validTo), SQLValue(policy.policy.canonicalText()),
            ])
        return policy
    }

    /// `policy.get`.
    package func policy(_ policyId: String) throws -> PolicyRecord {
        guard let policy = try store.read({ connection in try connection.policy(policyId) }) else {
            throw GatewayError.notFound("policy \(policyId)")
        }
        return policy
    }

    /// An idempotent put: when the stored record already is the new one nothing is written or
    /// journalled; otherwise `sql` runs with `bindings` plus the time, and the draft is journalled.
    /// The draft is encoded here, on the caller's thread: the single writer's time per put is
    /// what bounds puts per second.
    private func upsert(
        _ draft: JournalDraft, isCurrent: @escaping @Sendable (borrowing WriteTransaction) throws -> Bool,
        sql: String, bindings: [SQLValue]
    ) async throws {
        let entry = EncodedJournalDraft(draft)
        try await store.write { tx throws in
            guard try !isCurrent(tx) else { return }
            try tx.execute(sql, bindings + [SQLValue(UTCTimestamp.now())])
            tx.journal(entry)
        }
    }

    /// `partner.mapPolicy`: records PMS's partner–policy mapping and its approval status.
    package func map(_ mapping: PolicyMapping, context: CallContext) async throws -> PolicyMapping {
        try await store.write { tx throws in
            guard try tx.partner(mapping.partnerId) != nil else {
                throw GatewayError.notFound("partner \(mapping.partnerId)")
            }
            guard try tx.policy(mapping.policyId) != nil else {
                throw GatewayError.notFound("policy \(mapping.policyId)")
            }
            if try tx.partnerPolicyStatus(partnerId: mapping.partnerId, policyId: mapping.policyId) == mapping.status {
                return
            }
            try tx.execute(
                """
                INSERT INTO partner_policies (partner_id, policy_id, status, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?4)
                ON CONFLICT (partner_id, policy_id) DO UPDATE SET status = ?3, updated_at = ?4
                """,
                [
                    SQLValue(mapping.partnerId), SQLValue(mapping.policyId), SQLValue(mapping.status),
                    SQLValue(UTCTimestamp.now()),
                ]
            )
            tx.journal(
                context.draft(
                    "partner.mapPolicy", "partnerPolicy", "\(mapping.partnerId)/\(mapping.policyId)",
                    change: mapping.json))
        }
        return mapping
    }
}

/// PMS's approval of a partner for a policy (`partner.mapPolicy`).
package struct PolicyMapping: Sendable, Equatable {
    package var partnerId: String
    package var policyId: String
    /// `approved`, `InProgress` or `rejected`, as PMS spells them whatever case was sent.
    package var status: String

    /// Reads `partner.mapPolicy` params in the order of the method's fields.
    package init(params: JSONObject) throws(GatewayError) {
        let reader = ParamReader(params)
        partnerId = try reader.string("partnerId", size: 1...36)
        policyId = try reader.string("policyId", size: 1...36)
        status = try reader.oneOf("status", ["approved", "InProgress", "rejected"], caseInsensitive: true)
    }

    /// The result, and the journal's `change`.
    package var json: JSONValue {
        ["partnerId": .string(partnerId), "policyId": .string(policyId), "status": .string(status)]
    }
}

extension CallContext {
    /// A journal entry for this call.
    package func draft(_ method: String, _ entityType: String, _ entityId: String, change: JSONValue) -> JournalDraft {
        JournalDraft(
            method: method, entityType: entityType, entityId: entityId, peer: peer, requestId: requestId, change: change
        )
    }
}
