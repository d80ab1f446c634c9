import Testing

@testable import GatewayServices

@Suite struct URIRuleTests {
    @Test(arguments: [
        "https://rp.example.org/callback", "http://localhost:3000/callback", "io.mosip.residentapp://oauth",
        "https://*.example.org/*", "https://rp.example.org/cb?x=1#frag", "https://[::1]:8443/cb",
        "com.example.app:/oauth2redirect", "https://rp.example.org/caf%C3%A9",
    ])
    func redirectURIsAccepted(uri: String) {
        #expect(RedirectURIRule.isValid(uri))
    }

    @Test(arguments: [
        "", " ", "/callback", "callback", "https://", "https:", "https:// rp.example.org", "https://rp.example.org/a b",
        "https://rp.example.org/%zz", "*", "1http://x", "https://rp.example.org:80a/", "https://exämple.org/",
    ])
    func redirectURIsRefused(uri: String) {
        #expect(!RedirectURIRule.isValid(uri))
    }

    @Test(arguments: ["https://rp.example.org/logo.png", "http://rp.example.org", "HTTPS://RP.example.org/x.svg"])
    func logoURIsAccepted(uri: String) {
        #expect(LogoURIRule.isValid(uri))
    }

    @Test(arguments: [
        "ftp://rp.example.org/logo.png", "io.mosip.residentapp://oauth", "https://", "https:///logo.png", "logo.png",
        "https://rp.example.org/" + String(repeating: "a", count: 2048),
    ])
    func logoURIsRefused(uri: String) {
        #expect(!LogoURIRule.isValid(uri))
    }
}
