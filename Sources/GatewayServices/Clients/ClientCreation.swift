import GatewayCrypto
import GatewayJSON
import GatewayStore

/// SPEC 4.3 steps 2–9 of `client.create`, run inside the write transaction.
///
/// Every check that reads stored state runs here, on the single writer, so two creates of one
/// key cannot both pass step 2: the second sees the first's row (same group or committed).
///
/// A client eSignet refused to create, and never created, does not hold its key (SPEC 7.3): a
/// new create replaces it with its undelivered eSignet calls, so the fixed request goes out
/// fresh. Its IDA events stay: IDA was told about the client and is told again.
struct ClientCreation: Sendable {
    let request: ClientCreateRequest
    let key: PublicKey
    let mappings: MappingSet
    let rules: ClientRules
    let context: CallContext

    func run(_ tx: inout WriteTransaction) throws -> ClientWrite {
        let replacing = try tx.clientExists(key.clientId)
        if replacing {
            guard try tx.esignetRefusedCreation(of: key.clientId) else { throw ClientErrors.duplicateKey }
        }
        let partner = try authPartner(tx)
        let policy = try authPolicy(tx)
        try checkMapping(tx)
        let derivation = try mappings.derive(policy: policy.policy)
        try request.settings.check(rules)
        let warnings = AuthTypePrerequisite.warnings(for: policy.policy, rules: rules)
        if rules.refusesMissingAuthTypes, let missing = warnings.first {
            throw AuthTypePrerequisite.refusal(missing.value, policyId: policy.policyId)
        }

        let now = UTCTimestamp.now()
        let client = record(derivation, at: now)
        var change = client.journalChange
        if replacing, case .object(var object) = change {
            try tx.removeRefusedClient(key.clientId)
            object["replacedRejected"] = true
            change = .object(object)
        }
        do {
            try tx.insert(client)
        } catch {
            guard error.code == .constraint else { throw error }
            // Another daemon on the same PostgreSQL database committed this key after step 2
            // looked (SPEC 9): its UNIQUE index is what refuses the second.
            throw ClientErrors.duplicateKey
        }
        try tx.enqueue(ClientEvents.esignetCreate(client))
        try tx.enqueue(ClientEvents.idaCreated(client, partner: partner, policy: policy))
        tx.journal(context.draft("client.create", "client", client.clientId, change: change))
        return ClientWrite(client: client, warnings: warnings)
    }

    /// Step 3: the partner exists, is an Auth partner (any case, as PMS compares) and is active.
    private func authPartner(_ tx: borrowing WriteTransaction) throws -> PartnerRecord {
        guard let partner = try tx.partner(request.authPartnerId) else {
            throw ClientErrors.partnerNotFound(request.authPartnerId)
        }
        guard partner.partnerType.lowercased() == "auth_partner" else {
            throw ClientErrors.notAuthPartner(partner.partnerType)
        }
        guard partner.isActive else { throw ClientErrors.partnerNotActive }
        return partner
    }

    /// Step 4: the policy exists and is exactly of type `Auth`.
    private func authPolicy(_ tx: borrowing WriteTransaction) throws -> PolicyRecord {
        guard let policy = try tx.policy(request.policyId) else { throw ClientErrors.policyNotFound }
        guard policy.policyType == "Auth" else { throw ClientErrors.policyTypeMismatch }
        return policy
    }

    /// Step 5: PMS approved the partner for this policy.
    private func checkMapping(_ tx: borrowing WriteTransaction) throws {
        guard let status = try tx.partnerPolicyStatus(partnerId: request.authPartnerId, policyId: request.policyId)
        else { throw ClientErrors.mappingMissing }
        guard status.lowercased() == "approved" else { throw ClientErrors.mappingNotApproved }
    }

    private func record(_ derivation: PolicyDerivation, at now: String) -> ClientRecord {
        ClientRecord(
            clientId: key.clientId, name: request.name, nameLangMap: request.nameLangMap, policyId: request.policyId,
            authPartnerId: request.authPartnerId, logoUri: request.settings.logoUri,
            redirectUris: request.settings.redirectUris, publicKey: key.jwkObject, claims: derivation.claims.sorted(),
            acrValues: derivation.acrValues.sorted(), status: ClientStatus.active,
            grantTypes: request.settings.grantTypes, clientAuthMethods: request.settings.clientAuthMethods,
            createdAt: now, updatedAt: now, additionalConfig: request.additionalConfig)
    }
}
