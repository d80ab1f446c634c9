import GatewayJSON
import GatewayStore

/// Who made a call, for the journal entry a mutation writes.
package struct CallContext: Sendable {
    package var peer: Peer
    /// The JSON-RPC id's JSON text; `nil` for notifications.
    package var requestId: String?

    package init(peer: Peer, requestId: String?) {
        self.peer = peer
        self.requestId = requestId
    }
}

/// SPEC 2: a string parameter containing U+0000 is refused before a method sees it.
///
/// The check runs on the whole params object before the method's own field checks, so a NUL is
/// reported even where the field it hides in would otherwise fail later (or never be read).
/// The field named is the top-level member that holds the NUL; a NUL in a member's name has no
/// field to name.
package enum NULCheck {
    package static func refuse(in params: JSONObject) throws(GatewayError) {
        for (name, value) in params {
            if name.utf8.contains(0) {
                throw GatewayError(.invalidParams, "GW_INVALID_PARAMS", "parameter names must not contain NUL")
            }
            if value.containsNUL { throw .invalidParameter(name, "must not contain NUL") }
        }
    }
}
