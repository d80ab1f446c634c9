import GatewayCrypto
import Testing

@Suite("License keys and randomness")
struct LicenseKeyGeneratorTests {
    static let alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// Pearson's statistic against a uniform distribution over `categories`.
    static func chiSquare(_ counts: [Character: Int], categories: Int, total: Int) -> Double {
        let expected = Double(total) / Double(categories)
        var statistic = Double(categories - counts.count) * expected  // categories never seen
        for count in counts.values {
            statistic += (Double(count) - expected) * (Double(count) - expected) / expected
        }
        return statistic
    }

    /// 0.999 quantile of chi-square with 61 degrees of freedom: a uniform generator fails 1 in 1000 runs.
    static let criticalValue = 100.9

    @Test(arguments: [0, 1, 16, 50, 300])
    func keysHaveTheRequestedLengthAndAlphabet(_ length: Int) {
        let key = LicenseKeyGenerator.generate(length: length)
        #expect(key.count == length)
        #expect(key.allSatisfy(Self.alphabet.contains))
    }

    @Test func tenThousandKeysAreUnique() {
        let keys = (0..<10_000).map { _ in LicenseKeyGenerator.generate(length: 50) }
        #expect(Set(keys).count == keys.count)
    }

    @Test func charactersAreUniform() {
        var counts: [Character: Int] = [:]
        var total = 0
        for _ in 0..<4_000 {
            for character in LicenseKeyGenerator.generate(length: 50) {
                counts[character, default: 0] += 1
                total += 1
            }
        }
        #expect(total == 200_000)
        #expect(Set(counts.keys) == Self.alphabet)
        #expect(Self.chiSquare(counts, categories: 62, total: total) < Self.criticalValue)
    }

    /// The uniformity test has the power to catch the bias it is there for: plain `byte % 62`.
    @Test func moduloBiasWouldFailTheUniformityTest() {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var counts: [Character: Int] = [:]
        for byte in SecureRandom.bytes(200_000) {
            counts[alphabet[Int(byte) % 62], default: 0] += 1
        }
        #expect(Self.chiSquare(counts, categories: 62, total: 200_000) > Self.criticalValue)
    }

    @Test func secureRandomReturnsFreshBytes() {
        #expect(SecureRandom.bytes(0).isEmpty)
        let first = SecureRandom.bytes(32)
        let second = SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(first != [UInt8](repeating: 0, count: 32))
    }
}
