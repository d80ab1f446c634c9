import GatewayJSON
import GatewayStore

/// What PMS tells eSignet and IDA when a client is created or updated (SPEC 5), as outbox
/// messages: eSignet's `request` object and the `data` of IDA's event. Delivery wraps them.
///
/// Payloads are built from the stored record, not the request, so a replayed row says exactly
/// what was committed.
enum ClientEvents {
    /// eSignet's create request: the whole client as eSignet registers it.
    static func esignetCreate(_ client: ClientRecord) -> OutboxMessage {
        message(
            .esignet, .oidcClientCreated, client,
            [
                ("clientId", .string(client.clientId)), ("clientName", .string(client.name)),
                ("publicKey", .object(client.publicKey)), ("relyingPartyId", .string(client.authPartnerId)),
                ("userClaims", JSONValue(client.claims)), ("authContextRefs", JSONValue(client.acrValues)),
                ("logoUri", .string(client.logoUri)), ("redirectUris", JSONValue(client.redirectUris)),
                ("grantTypes", JSONValue(client.grantTypes)),
                ("clientAuthMethods", JSONValue(client.clientAuthMethods)),
            ])
    }

    /// eSignet's update request: what `PUT …/{clientId}` replaces.
    static func esignetUpdate(_ client: ClientRecord) -> OutboxMessage {
        message(
            .esignet, .oidcClientUpdated, client,
            [
                ("logoUri", .string(client.logoUri)), ("redirectUris", JSONValue(client.redirectUris)),
                ("status", .string(client.status)), ("grantTypes", JSONValue(client.grantTypes)),
                ("clientName", .string(client.name)), ("userClaims", JSONValue(client.claims)),
                ("authContextRefs", JSONValue(client.acrValues)),
                ("clientAuthMethods", JSONValue(client.clientAuthMethods)),
            ])
    }

    /// IDA's `OIDC_CLIENT_CREATED`: partner, policy and client, as PMS's publish DTOs shape them.
    static func idaCreated(_ client: ClientRecord, partner: PartnerRecord, policy: PolicyRecord) -> OutboxMessage {
        let partnerData: JSONValue = [
            "partnerId": .string(partner.partnerId), "partnerName": .string(partner.name),
            "certificateData": JSONValue(partner.certificateData), "partnerStatus": .string(pmsStatus(partner.status)),
        ]
        return message(
            .ida, .oidcClientCreated, client,
            [("partnerData", partnerData), ("policyData", policy.eventData), ("clientData", clientData(client))])
    }

    /// IDA's `OIDC_CLIENT_UPDATED`: the client only.
    static func idaUpdated(_ client: ClientRecord) -> OutboxMessage {
        message(.ida, .oidcClientUpdated, client, [("clientData", clientData(client))])
    }

    /// eSignet's calls also carry the name map and `additionalConfig` when the client has them;
    /// delivery drops what the configured API version cannot carry (SPEC 7.2).
    private static func message(
        _ target: OutboxMessage.Target, _ topic: OutboxMessage.Topic, _ client: ClientRecord,
        _ payload: [(String, JSONValue)]
    ) -> OutboxMessage {
        var object = JSONObject(payload)
        if target == .esignet {
            if let names = client.nameLangMap { object["clientNameLangMap"] = .object(names) }
            if let config = client.additionalConfig { object["additionalConfig"] = .object(config) }
        }
        return OutboxMessage(target: target, topic: topic, key: client.clientId, payload: object)
    }

    private static func clientData(_ client: ClientRecord) -> JSONValue {
        [
            "clientId": .string(client.clientId), "clientName": .string(client.name),
            "clientStatus": .string(client.status), "userClaims": JSONValue(client.claims),
            "authContextRefs": JSONValue(client.acrValues), "clientAuthMethods": JSONValue(client.clientAuthMethods),
        ]
    }

    /// PMS publishes partner and policy state as `ACTIVE` / `DEACTIVE` (MapperUtils).
    static func pmsStatus(_ status: String) -> String {
        status == "ACTIVE" ? "ACTIVE" : "DEACTIVE"
    }
}
