import GatewayJSON
import GatewayServices
import Testing

@Suite struct ConcurrencyTests {
    /// The duplicate check runs on the single writer, so of many simultaneous creates of one key
    /// exactly one wins and every other gets PMS_ESI_001, even when they share a group commit.
    @Test func concurrentCreatesOfOneKeyHaveOneWinner() async throws {
        try await TestEnvironment.with { env throws in
            let key = TestKeys.p256[33]
            let outcomes = await withTaskGroup(of: String.self) { group in
                for index in 0..<16 {
                    let variant = key.with("kid", .string("kid-\(index)"))
                    group.addTask {
                        do {
                            try await env.create(TestEnvironment.createParams(variant, name: "racer \(index)"))
                            return "created"
                        } catch let error as GatewayError {
                            return error.errorCode
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "created" }.count == 1)
            #expect(outcomes.filter { $0 == "PMS_ESI_001" }.count == 15)
            #expect(try env.count("SELECT count(*) FROM clients") == 1)
            #expect(try env.count("SELECT count(*) FROM journal WHERE method = 'client.create'") == 1)
            #expect(try env.count("SELECT count(*) FROM outbox") == 2)
        }
    }
}
