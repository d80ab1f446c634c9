import GatewayStore

/// `client.update` after bean validation, run inside the write transaction (SPEC 4.3).
///
/// A status change applies the status alone, as PMS does; otherwise the editable fields are
/// replaced as a whole (an absent `clientNameLangMap` clears it). An update identical to the stored
/// client is still journalled and re-sent to eSignet and IDA, as PMS would: that is the operator's
/// way to push a client again.
struct ClientUpdate: Sendable {
    let request: ClientUpdateRequest
    let rules: ClientRules
    let context: CallContext

    func run(_ tx: inout WriteTransaction) throws -> ClientWrite {
        guard var client = try tx.client(request.clientId) else { throw ClientErrors.clientNotFound }
        guard client.isActive else { throw ClientErrors.alreadyDeactivated }
        guard let partner = try tx.partner(client.authPartnerId) else {
            throw ClientErrors.partnerNotFound(client.authPartnerId)
        }
        // Stored status is ACTIVE here, so any status change is a deactivation, which an inactive
        // partner may still make (to cut off a client whose owner PMS has suspended).
        let deactivates = request.status == ClientStatus.inactive
        guard deactivates || partner.isActive else { throw ClientErrors.partnerNotActive }

        if deactivates {
            client.status = ClientStatus.inactive
        } else {
            try request.settings.check(rules)
            replaceEditableFields(of: &client)
        }
        let now = UTCTimestamp.now()
        client.updatedAt = now
        try tx.update(client)
        try tx.enqueue(ClientEvents.esignetUpdate(client))
        try tx.enqueue(ClientEvents.idaUpdated(client))
        tx.journal(context.draft("client.update", "client", client.clientId, change: client.journalChange))
        // A deactivated client makes no more logins, so its policy's auth types no longer matter.
        let policy = deactivates ? nil : try tx.policy(client.policyId)
        return ClientWrite(
            client: client, warnings: policy.map { AuthTypePrerequisite.warnings(for: $0.policy, rules: rules) } ?? [])
    }

    private func replaceEditableFields(of client: inout ClientRecord) {
        client.name = request.clientName
        client.nameLangMap = request.nameLangMap
        client.additionalConfig = request.additionalConfig
        client.logoUri = request.settings.logoUri
        client.redirectUris = request.settings.redirectUris
        client.grantTypes = request.settings.grantTypes
        client.clientAuthMethods = request.settings.clientAuthMethods
    }
}
