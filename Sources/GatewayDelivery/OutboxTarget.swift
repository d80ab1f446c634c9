/// Who an outbox row is for; the raw values are what `outbox.target` holds.
public enum OutboxTarget: String, Sendable, CaseIterable {
    /// eSignet's client-management API (`/v1/esignet/client-mgmt/oidc-client`).
    case esignet
    /// IDA, through the MOSIP WebSub hub.
    case ida
}
