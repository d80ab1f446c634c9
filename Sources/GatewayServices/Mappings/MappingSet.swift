import GatewayJSON
import Synchronization

/// The three mapping files that turn an auth policy into OIDC claims and ACRs.
///
/// Loaded whole or not at all: a SIGHUP with one broken file keeps the previous set.
package struct MappingSet: Sendable, Equatable {
    /// OIDC claim → identity attributes that can satisfy it (identity-mapping `identity`, `value` split on `,`).
    package let identity: [String: [String]]
    /// AMR name → the auth factor types it needs (amr-acr-mapping `amr`).
    package let amr: [String: [String]]
    /// ACR → the AMRs it needs (amr-acr-mapping `acr_amr`), in file order.
    package let acrAmr: [(acr: String, amrs: [String])]
    /// The openid configuration's `claims_supported`, in file order.
    package let claimsSupported: [String]

    package static func == (lhs: MappingSet, rhs: MappingSet) -> Bool {
        lhs.identity == rhs.identity && lhs.amr == rhs.amr && lhs.claimsSupported == rhs.claimsSupported
            && lhs.acrAmr.map(\.acr) == rhs.acrAmr.map(\.acr) && lhs.acrAmr.map(\.amrs) == rhs.acrAmr.map(\.amrs)
    }
}

extension MappingSet {
    package struct LoadError: Error, CustomStringConvertible {
        package let description: String
    }

    package static func load(_ files: MappingFiles) throws(LoadError) -> MappingSet {
        let identityFile = try document(files.identity)
        let amrFile = try document(files.amrAcr)
        let openid = try document(files.openidConfiguration)

        guard case .object(let identityMembers)? = identityFile["identity"] else {
            throw LoadError(description: "\(files.identity): missing object \"identity\"")
        }
        var identity: [String: [String]] = [:]
        for (claim, entry) in identityMembers {
            guard let value = entry["value"]?.stringValue else {
                throw LoadError(description: "\(files.identity): identity.\(claim).value must be a string")
            }
            identity[claim] = value.split(separator: ",").map { String($0).trimmed }
        }

        guard case .object(let amrMembers)? = amrFile["amr"], case .object(let acrMembers)? = amrFile["acr_amr"] else {
            throw LoadError(description: "\(files.amrAcr): needs objects \"amr\" and \"acr_amr\"")
        }
        var amr: [String: [String]] = [:]
        for (name, factors) in amrMembers {
            guard let list = factors.arrayValue, let types = Optional(list.compactMap { $0["type"]?.stringValue }),
                types.count == list.count
            else { throw LoadError(description: "\(files.amrAcr): amr.\(name) must be a list of {type}") }
            amr[name] = types
        }
        var acrAmr: [(acr: String, amrs: [String])] = []
        for (acr, amrs) in acrMembers {
            guard let list = amrs.arrayValue, case let names = list.compactMap(\.stringValue), names.count == list.count
            else { throw LoadError(description: "\(files.amrAcr): acr_amr.\(acr) must be a list of strings") }
            acrAmr.append((acr, names))
        }

        guard let claims = openid["claims_supported"]?.arrayValue,
            case let claimsSupported = claims.compactMap(\.stringValue), claimsSupported.count == claims.count
        else {
            throw LoadError(description: "\(files.openidConfiguration): claims_supported must be a list of strings")
        }

        return MappingSet(identity: identity, amr: amr, acrAmr: acrAmr, claimsSupported: claimsSupported)
    }

    private static func document(_ path: String) throws(LoadError) -> JSONValue {
        do {
            let value = try JSONValue.parse(try FileContents.read(path))
            guard case .object = value else { throw LoadError(description: "\(path): must be a JSON object") }
            return value
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "\(path): \(error)")
        }
    }
}

extension String {
    /// Leading and trailing spaces and tabs removed (FoundationEssentials has no trimming helper).
    var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// Where the three mapping files live.
package struct MappingFiles: Sendable {
    package var identity: String
    package var amrAcr: String
    package var openidConfiguration: String

    package init(identity: String, amrAcr: String, openidConfiguration: String) {
        self.identity = identity
        self.amrAcr = amrAcr
        self.openidConfiguration = openidConfiguration
    }
}

/// The current mapping set, swapped whole on SIGHUP; readers always see a complete set.
package final class CurrentMappings: Sendable {
    private let current: Mutex<(mappings: MappingSet, generation: UInt64)>

    package init(_ mappings: MappingSet) {
        current = Mutex((mappings, 0))
    }

    package var mappings: MappingSet {
        current.withLock { $0.mappings }
    }

    /// The set with its generation, which moves on at every swap: whatever was derived under one
    /// generation is stale under the next.
    var versioned: (mappings: MappingSet, generation: UInt64) {
        current.withLock { $0 }
    }

    package func replace(with mappings: MappingSet) {
        current.withLock { $0 = (mappings, $0.generation + 1) }
    }
}
