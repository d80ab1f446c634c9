/// SPEC 4.3 step 8: the value rules eSignet itself enforces, checked here so a client PMS creates
/// is one eSignet will accept when the outbox delivers it.
///
/// Run after the partner/policy checks, because that is where PMS reports them (eSignet is called
/// last), so a request failing both gets PMS's error first.
enum ClientValueRules {
    static func check(redirectUris: [String], grantTypes: [String], clientAuthMethods: [String], rules: ClientRules)
        throws(GatewayError)
    {
        try RedirectURIRule.check(redirectUris)
        guard grantTypes.allSatisfy(rules.grantTypes.contains) else {
            throw GatewayError(.invalidParams, "unsupported_grant_type", "unsupported_grant_type")
        }
        guard clientAuthMethods.allSatisfy(rules.clientAuthMethods.contains) else {
            throw GatewayError(.invalidParams, "invalid_client_auth", "invalid_client_auth")
        }
    }
}
