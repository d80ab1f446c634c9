/// The error a test helper throws when the world is not as the test needs it (a set-up step
/// failed, a condition never came true). The only error type of the test targets' own.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
