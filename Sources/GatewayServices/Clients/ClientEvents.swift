import GatewayJSON
import GatewayStore

/// What PMS sends when a client is created or updated (SPEC 5), as outbox rows.
///
/// Bodies are built from the stored record, not the request, so a replayed outbox row says exactly
/// what was committed. `requestTime` uses eSignet's `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, which is the
/// gateway's own timestamp format.
enum ClientEvents {
    static let createdTopic = "OIDC_CLIENT_CREATED"
    static let updatedTopic = "OIDC_CLIENT_UPDATED"
    static let esignetPath = "/v1/esignet/client-mgmt/oidc-client"

    /// eSignet's `POST /client-mgmt/oidc-client` request.
    static func esignetCreate(_ client: ClientRecord, at requestTime: String) -> JSONValue {
        let request: JSONValue = [
            "clientId": .string(client.clientId), "clientName": .string(client.name),
            "publicKey": .object(client.publicKey), "relyingPartyId": .string(client.authPartnerId),
            "userClaims": JSONValue(client.claims), "authContextRefs": JSONValue(client.acrValues),
            "logoUri": .string(client.logoUri), "redirectUris": JSONValue(client.redirectUris),
            "grantTypes": JSONValue(client.grantTypes), "clientAuthMethods": JSONValue(client.clientAuthMethods),
        ]
        return esignetCall("POST", esignetPath, request, requestTime)
    }

    /// eSignet's `PUT /client-mgmt/oidc-client/{clientId}` request.
    static func esignetUpdate(_ client: ClientRecord, at requestTime: String) -> JSONValue {
        let request: JSONValue = [
            "logoUri": .string(client.logoUri), "redirectUris": JSONValue(client.redirectUris),
            "status": .string(client.status), "grantTypes": JSONValue(client.grantTypes),
            "clientName": .string(client.name), "userClaims": JSONValue(client.claims),
            "authContextRefs": JSONValue(client.acrValues), "clientAuthMethods": JSONValue(client.clientAuthMethods),
        ]
        return esignetCall("PUT", "\(esignetPath)/\(client.clientId)", request, requestTime)
    }

    /// IDA's `OIDC_CLIENT_CREATED`: partner, policy and client, as PMS's publish DTOs shape them.
    static func idaCreated(_ client: ClientRecord, partner: PartnerRecord, policy: PolicyRecord, at time: String)
        -> JSONValue
    {
        let partnerData: JSONValue = [
            "partnerId": .string(partner.partnerId), "partnerName": .string(partner.name),
            "certificateData": JSONValue(partner.certificateData), "partnerStatus": .string(pmsStatus(partner.status)),
        ]
        let data = JSONObject([
            ("partnerData", partnerData), ("policyData", policy.eventData), ("clientData", clientData(client)),
        ])
        return WebSubEventModel.body(topic: createdTopic, data: data, at: time)
    }

    /// IDA's `OIDC_CLIENT_UPDATED`: the client only.
    static func idaUpdated(_ client: ClientRecord, at time: String) -> JSONValue {
        WebSubEventModel.body(topic: updatedTopic, data: JSONObject([("clientData", clientData(client))]), at: time)
    }

    /// Enqueues both rows of one mutation, eSignet first, ordered per client.
    static func enqueue(
        esignet: JSONValue, ida: JSONValue, topic: String, clientId: String, in tx: borrowing WriteTransaction
    )
        throws(StoreError)
    {
        try tx.enqueueOutbox(target: "esignet", topic: topic, orderingKey: clientId, body: esignet)
        try tx.enqueueOutbox(target: "ida", topic: topic, orderingKey: clientId, body: ida)
    }

    private static func clientData(_ client: ClientRecord) -> JSONValue {
        [
            "clientId": .string(client.clientId), "clientName": .string(client.name),
            "clientStatus": .string(client.status), "userClaims": JSONValue(client.claims),
            "authContextRefs": JSONValue(client.acrValues), "clientAuthMethods": JSONValue(client.clientAuthMethods),
        ]
    }

    private static func esignetCall(_ method: String, _ path: String, _ request: JSONValue, _ requestTime: String)
        -> JSONValue
    {
        [
            "method": .string(method), "path": .string(path),
            "body": ["requestTime": .string(requestTime), "request": request],
        ]
    }

    /// PMS publishes partner and policy state as `ACTIVE` / `DEACTIVE` (MapperUtils).
    /// PMS's event wording for a record's status.
    static func pmsStatus(_ status: String) -> String {
        status == "ACTIVE" ? "ACTIVE" : "DEACTIVE"
    }
}
