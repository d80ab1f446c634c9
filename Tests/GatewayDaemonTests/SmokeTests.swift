import Foundation
import GatewayJSON
import Testing

@Suite(.tags(.process)) struct SmokeTests {
    @Test func healthAnswersWithExactID() throws {
        let client = try TestDaemon().client()
        try client.send(#"{"jsonrpc":"2.0","id":9007199254740993,"method":"system.health"}"# + "\n")
        let line = try #require(try client.readLine())
        #expect(line.hasPrefix(#"{"jsonrpc":"2.0","id":9007199254740993,"result":{"status":"ok""#))
    }
}
