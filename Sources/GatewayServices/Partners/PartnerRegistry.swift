import GatewayJSON
import GatewayStore
import Logging

/// Partners, policies and their mappings, as PMS pushes them (SPEC 4.2).
///
/// Upserts are idempotent: a put identical to what is stored changes nothing and journals
/// nothing, so PMS can replay its records safely. Reads go straight to a read connection.
public actor PartnerRegistry {
    let store: Store
    let logger: Logger

    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func putPartner(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let partner = try PartnerRecord(params: params)
        try await store.write { tx throws in
            guard try tx.partner(partner.partnerId) != partner else { return }
            let now = Timestamp.now()
            try tx.execute(
                """
                INSERT INTO partners (partner_id, partner_type, name, status, certificate_data, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                ON CONFLICT (partner_id) DO UPDATE SET partner_type = ?2, name = ?3, status = ?4,
                    certificate_data = ?5, updated_at = ?6
                """,
                [
                    SQLValue(partner.partnerId), SQLValue(partner.partnerType), SQLValue(partner.name),
                    SQLValue(partner.status), SQLValue(partner.certificateData), SQLValue(now),
                ]
            )
            try tx.journal(context.draft("partner.put", "partner", partner.partnerId, change: partner.json))
        }
        return ["partnerId": .string(partner.partnerId), "status": .string(partner.status)]
    }

    public nonisolated func getPartner(_ params: JSONObject) throws -> JSONValue {
        let partnerId = try ParamReader(params).string("partnerId", size: 1...36)
        guard let partner = try store.read({ connection in try connection.partner(partnerId) }) else {
            throw GatewayError.notFound("partner \(partnerId)")
        }
        return partner.json
    }

    public func putPolicy(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let policy = try PolicyRecord(params: params)
        try await store.write { tx throws in
            guard try tx.policy(policy.policyId) != policy else { return }
            let now = Timestamp.now()
            try tx.execute(
                """
                INSERT INTO policies (policy_id, policy_type, name, description, status, valid_from, valid_to, policy,
                    created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
                ON CONFLICT (policy_id) DO UPDATE SET policy_type = ?2, name = ?3, description = ?4, status = ?5,
                    valid_from = ?6, valid_to = ?7, policy = ?8, updated_at = ?9
                """,
                [
                    SQLValue(policy.policyId), SQLValue(policy.policyType), SQLValue(policy.name),
                    SQLValue(policy.description), SQLValue(policy.status), SQLValue(policy.validFrom),
                    SQLValue(policy.validTo), SQLValue(policy.policy.canonicalText()), SQLValue(now),
                ]
            )
            try tx.journal(context.draft("policy.put", "policy", policy.policyId, change: policy.json))
        }
        return ["policyId": .string(policy.policyId), "status": .string(policy.status)]
    }

    public nonisolated func getPolicy(_ params: JSONObject) throws -> JSONValue {
        let policyId = try ParamReader(params).string("policyId", size: 1...36)
        guard let policy = try store.read({ connection in try connection.policy(policyId) }) else {
            throw GatewayError.notFound("policy \(policyId)")
        }
        return policy.json
    }

    /// `partner.mapPolicy`: records PMS's partner–policy mapping and its approval status.
    public func mapPolicy(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let reader = ParamReader(params)
        let partnerId = try reader.string("partnerId", size: 1...36)
        let policyId = try reader.string("policyId", size: 1...36)
        let status = try reader.oneOf("status", ["approved", "InProgress", "rejected"], caseInsensitive: true)
        try await store.write { tx throws in
            guard try tx.partner(partnerId) != nil else { throw GatewayError.notFound("partner \(partnerId)") }
            guard try tx.policy(policyId) != nil else { throw GatewayError.notFound("policy \(policyId)") }
            let existing = try tx.query(
                "SELECT status FROM partner_policies WHERE partner_id = ? AND policy_id = ?",
                [SQLValue(partnerId), SQLValue(policyId)]
            )
            if let row = existing.first, try row.string(0) == status { return }
            let now = Timestamp.now()
            try tx.execute(
                """
                INSERT INTO partner_policies (partner_id, policy_id, status, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?4)
                ON CONFLICT (partner_id, policy_id) DO UPDATE SET status = ?3, updated_at = ?4
                """,
                [SQLValue(partnerId), SQLValue(policyId), SQLValue(status), SQLValue(now)]
            )
            let change: JSONValue = [
                "partnerId": .string(partnerId), "policyId": .string(policyId), "status": .string(status),
            ]
            try tx.journal(
                context.draft("partner.mapPolicy", "partnerPolicy", "\(partnerId)/\(policyId)", change: change))
        }
        return ["partnerId": .string(partnerId), "policyId": .string(policyId), "status": .string(status)]
    }
}

extension CallContext {
    /// A journal entry for this call.
    public func draft(_ method: String, _ entityType: String, _ entityId: String, change: JSONValue) -> JournalDraft {
        JournalDraft(
            method: method, entityType: entityType, entityId: entityId, peer: peer, requestId: requestId, change: change
        )
    }
}
