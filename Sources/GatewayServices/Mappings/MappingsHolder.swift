import Synchronization

/// The current mapping set, swapped whole on SIGHUP; readers always see a complete set.
public final class MappingsHolder: Sendable {
    private let current: Mutex<MappingSet>

    public init(_ mappings: MappingSet) {
        current = Mutex(mappings)
    }

    public var mappings: MappingSet {
        current.withLock { $0 }
    }

    public func replace(with mappings: MappingSet) {
        current.withLock { $0 = mappings }
    }
}
