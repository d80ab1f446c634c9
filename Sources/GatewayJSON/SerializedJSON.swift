/// The compact serialization of one JSON value, kept to be written again as it is.
///
/// It can only be made from a ``JSONValue``, so its bytes are always one valid JSON value that
/// fits on one NDJSON line.
package struct SerializedJSON: Sendable, Equatable {
    package let bytes: [UInt8]

    package init(_ value: JSONValue) {
        bytes = value.serializedBytes()
    }
}
