/// PMS's client errors with its codes and messages verbatim (SPEC 3), and their kinds.
enum ClientErrors {
    static let duplicateKey = GatewayError(.conflict, "PMS_ESI_001", "Client public key already exists.")
    static let mappingNotApproved = GatewayError(
        .refused, "PMS_ESI_002", "Partner policy mapping is not approved. Please check mapping status.")
    static let clientNotFound = GatewayError(.notFound, "PMS_ESI_004", "Client not exists with given id.")
    static let alreadyDeactivated = GatewayError(.conflict, "PMS_ESI_008", "Client already deactivated.")
    static let policyTypeMismatch = GatewayError(
        .refused, "PMS_PRT_057", "Policy Type Mismatch. Only Auth policy can be used to create OIDC Client.")
    static let mappingMissing = GatewayError(.refused, "PMS_PRT_061", "Partner policy mapping not exists.")
    static let policyNotFound = GatewayError(.notFound, "PMS_PRT_073", "Policy not exists.")
    static let partnerNotActive = GatewayError(.refused, "PMS_PMP_016", "Partner is not active.")

    static func partnerNotFound(_ partnerId: String) -> GatewayError {
        GatewayError(.notFound, "PMS_PRT_058", "AuthPartner doesn't exists with this Id - \(partnerId).")
    }

    static func notAuthPartner(_ partnerType: String) -> GatewayError {
        GatewayError(
            .refused, "PMS_PRT_059",
            "Only Auth_partner can Create OIDC Client. \(partnerType) is not allowed to create OIDC Client.")
    }
}
