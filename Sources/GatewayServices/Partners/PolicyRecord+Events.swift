import GatewayJSON

extension PolicyRecord {
    /// `policyData` as PMS publishes it to IDA, shared by the client and MISP license events.
    var eventData: JSONValue {
        [
            "policyId": .string(policyId), "policyName": .string(name), "policy": policy,
            "policyStatus": .string(ClientEvents.pmsStatus(status)), "policyDescription": JSONValue(description),
            "policyCommenceOn": JSONValue(validFrom), "policyExpiresOn": JSONValue(validTo),
        ]
    }
}
