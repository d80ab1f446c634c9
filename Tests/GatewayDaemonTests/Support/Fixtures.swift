import GatewayJSON

/// Requests PMS would send, shaped like MOSIP's own sample data.
enum Fixtures {
    static func partner(_ id: String, type: String = "Auth_Partner", status: String = "ACTIVE") -> JSONValue {
        [
            "partnerId": .string(id), "partnerType": .string(type), "name": .string("Partner \(id)"),
            "status": .string(status),
        ]
    }

    static let authPolicyDocument: JSONValue = [
        "authTokenType": "policy",
        "allowedKycAttributes": [
            ["attributeName": "fullName"], ["attributeName": "gender"], ["attributeName": "phone"],
            ["attributeName": "email"], ["attributeName": "dateOfBirth"], ["attributeName": "city"],
            ["attributeName": "face"], ["attributeName": "addressLine1"],
        ],
        "allowedAuthTypes": [
            ["authSubType": "IRIS", "authType": "bio", "mandatory": false],
            ["authSubType": "FINGER", "authType": "bio", "mandatory": false],
            ["authSubType": "", "authType": "otp", "mandatory": false],
            ["authSubType": "FACE", "authType": "bio", "mandatory": false],
            ["authSubType": "", "authType": "wla", "mandatory": false],
        ],
    ]

    static let mispPolicyDocument: JSONValue = [
        "allowAuthRequestDelegation": true, "allowKycRequestDelegation": true,
        "trustBindedAuthVerificationToken": true, "allowKeyBindingDelegation": true,
    ]

    static func policy(_ id: String, type: String = "Auth", document: JSONValue? = nil) -> JSONValue {
        [
            "policyId": .string(id), "policyType": .string(type), "name": .string("Policy \(id)"),
            "description": "sample", "status": "ACTIVE", "validFrom": "2026-01-01T00:00:00.000Z",
            "validTo": "2036-01-01T00:00:00.000Z",
            "policy": document ?? (type == "MISP" ? mispPolicyDocument : authPolicyDocument),
        ]
    }
}
