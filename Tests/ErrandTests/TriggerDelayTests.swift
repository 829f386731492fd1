import Foundation
import Testing

@testable import Errand

private func at(_ text: String) -> Date {
    guard let date = ISO8601Timestamp.date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

private let now = at("2026-03-14T10:00:00Z")

private func resolve(_ text: String, now: Date = now) throws -> Date {
    try TriggerDelay.parse(text).resolve(now: now)
}

private func delayError(_ body: () throws -> Any) -> ErrandError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? ErrandError
    }
}

@Suite struct TriggerDelayTests {
    // MARK: - Numbers

    @Test func smallNumbersAreDelaysInMilliseconds() throws {
        #expect(try TriggerDelay.number(1500) == .milliseconds(1500))
        #expect(try TriggerDelay.number(1500).resolve(now: now) == now.addingTimeInterval(1.5))
        #expect(try resolve("1500") == now.addingTimeInterval(1.5))
        #expect(try resolve("0") == now)
    }

    @Test func numbersFrom1e11AreEpochTimestamps() throws {
        #expect(try TriggerDelay.number(99_999_999_999) == .milliseconds(99_999_999_999))
        #expect(try TriggerDelay.number(100_000_000_000) == .date(at("1973-03-03T09:46:40Z")))
        let future = at("2026-06-01T12:00:00.250Z")
        let epoch = future.timeIntervalSince1970 * 1000
        #expect(try TriggerDelay.number(epoch).resolve(now: now) == future)
        #expect(try resolve(String(Int(epoch))) == future)
    }

    @Test func pastTimestampsMeanNow() throws {
        #expect(try TriggerDelay.number(1_642_182_365_811).resolve(now: now) == now)
        #expect(try resolve("2022-01-14T17:46:05.811Z") == now)
        #expect(try TriggerDelay.date(at("2020-01-01T00:00:00Z")).resolve(now: now) == now)
    }

    @Test func negativeDelaysAreErrors() throws {
        for error in [
            delayError { try TriggerDelay.number(-1) },
            delayError { try TriggerDelay.parse("-500") },
            delayError { try TriggerDelay.milliseconds(-1).resolve(now: now) },
            delayError { try TriggerDelay.duration(-1, .day).resolve(now: now) },
        ] {
            let error = try #require(error)
            #expect(error.field == "after")
            #expect(error.message.contains("negative"), "\(error.message)")
        }
        #expect(delayError { try TriggerDelay.number(.nan) }?.field == "after")
    }

    // MARK: - Dates

    @Test func isoTimestampsWithAndWithoutFractionsAndOffsets() throws {
        #expect(try resolve("2026-04-01T17:46:05.811Z") == at("2026-04-01T17:46:05.811Z"))
        #expect(try resolve("2026-04-01T17:46:05Z").timeIntervalSince1970 == 1_775_065_565)
        #expect(try resolve("2026-04-01T19:46:05+02:00").timeIntervalSince1970 == 1_775_065_565)
        #expect(try resolve("2026-04-01T12:46:05-0500").timeIntervalSince1970 == 1_775_065_565)
        #expect(try TriggerDelay.parse("2026-04-01T17:46:05.811Z") == .date(Date(timeIntervalSince1970: 1_775_065_565.811)))
    }

    @Test func aDateIsUsedAsIs() throws {
        let later = now.addingTimeInterval(3_600)
        #expect(try TriggerDelay.date(later).resolve(now: now) == later)
    }

    @Test func malformedTimestampsAreErrors() throws {
        for text in ["2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-01T17:46:05", "2026-04-01T25:00:00Z", "2026-04-01X"] {
            let error = try #require(delayError { try TriggerDelay.parse(text) }, "\(text)")
            #expect(error.field == "after")
            #expect(error.message.contains("\"\(text)\""), "\(error.message)")
            #expect(error.message.contains("ISO-8601"), "\(error.message)")
        }
    }

    // MARK: - "N unit"

    @Test func everyUnitSingularOrPlural() throws {
        let cases: [(String, TimeInterval)] = [
            ("1 second", 1), ("30 seconds", 30), ("1 minute", 60), ("5 minutes", 300),
            ("1 hour", 3_600), ("2 hours", 7_200), ("1 day", 86_400), ("1 days", 86_400),
            ("1 week", 604_800), ("2 weeks", 1_209_600), ("0 days", 0), ("3 Hours", 10_800),
        ]
        for (text, seconds) in cases {
            #expect(try resolve(text) == now.addingTimeInterval(seconds), "\(text)")
        }
        #expect(try TriggerDelay.parse("3 days") == .duration(3, .day))
    }

    @Test func monthsAndYearsAreCalendarArithmeticInUTC() throws {
        #expect(try resolve("1 month") == at("2026-04-14T10:00:00Z"))
        #expect(try resolve("1 month", now: at("2026-01-31T08:30:00.5Z")) == at("2026-02-28T08:30:00.5Z"))
        #expect(try resolve("1 month", now: at("2028-01-31T08:30:00Z")) == at("2028-02-29T08:30:00Z"))
        #expect(try resolve("12 months") == at("2027-03-14T10:00:00Z"))
        #expect(try resolve("1 year") == at("2027-03-14T10:00:00Z"))
        #expect(try resolve("1 year", now: at("2028-02-29T00:00:00Z")) == at("2029-02-28T00:00:00Z"))
    }

    @Test func unknownUnitsAndShapesAreErrors() throws {
        let unit = try #require(delayError { try TriggerDelay.parse("2 fortnights") })
        #expect(unit.message.contains("unit \"fortnights\" is not allowed"), "\(unit.message)")
        #expect(unit.message.contains("second(s), minute(s), hour(s), day(s), week(s), month(s) or year(s)"))
        let fraction = try #require(delayError { try TriggerDelay.parse("1.5 hours") })
        #expect(fraction.message.contains("not a whole number"), "\(fraction.message)")
        for text in ["", "soon", "1 2 3"] {
            let error = try #require(delayError { try TriggerDelay.parse(text) }, "\(text)")
            #expect(error.field == "after")
            #expect(error.message.contains("allowed are"), "\(error.message)")
        }
    }

    // MARK: - The one-year limit

    @Test func atMostOneYearAhead() throws {
        #expect(try resolve("365 days") == at("2027-03-14T10:00:00Z"))
        #expect(try TriggerDelay.milliseconds(31_536_000_000).resolve(now: now) == at("2027-03-14T10:00:00Z"))
        for text in ["366 days", "13 months", "53 weeks", "2 years", "31536000001", "2027-03-14T10:00:00.001Z"] {
            let error = try #require(delayError { try resolve(text) }, "\(text)")
            #expect(error.field == "after")
            #expect(error.message.contains("more than one year after now"), "\(error.message)")
            #expect(error.message.contains("2027-03-14T10:00:00.000Z"), "\(error.message)")
        }
        let message = try #require(delayError { try resolve("366 days") }).message
        #expect(message == #"invalid after "366 days": resolves to 2027-03-15T10:00:00.000Z, more than one year after now; the latest allowed is 2027-03-14T10:00:00.000Z"#)
    }

    @Test func hugeCountsFailTheLimitWithoutOverflow() throws {
        #expect(delayError { try TriggerDelay.duration(Int.max, .year).resolve(now: now) } != nil)
        #expect(delayError { try TriggerDelay.duration(Int.max, .week).resolve(now: now) } != nil)
        #expect(delayError { try resolve("99999999999999999999 days") } != nil)
    }

    // MARK: - Codable

    @Test func decodesNumbersAndStrings() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(TriggerDelay.self, from: Data("1500".utf8)) == .milliseconds(1500))
        #expect(try decoder.decode(TriggerDelay.self, from: Data("1642182365811".utf8)) == .date(Date(timeIntervalSince1970: 1_642_182_365.811)))
        #expect(try decoder.decode(TriggerDelay.self, from: Data(#""1 hour""#.utf8)) == .duration(1, .hour))
        #expect(try decoder.decode(TriggerDelay.self, from: Data(#""2500""#.utf8)) == .milliseconds(2500))
        struct Body: Decodable { var after: TriggerDelay }
        #expect(try decoder.decode(Body.self, from: Data(#"{"after":"2022-01-14T17:46:05.811Z"}"#.utf8)).after == .date(Date(timeIntervalSince1970: 1_642_182_365.811)))
    }

    @Test func decodingOtherTypesOrBadValuesFailsNamingAfter() throws {
        for json in ["true", "{}", "-5", #""5 fortnights""#] {
            let error = try #require(delayError { try JSONDecoder().decode(TriggerDelay.self, from: Data(json.utf8)) }, "\(json)")
            #expect(error.field == "after", "\(json)")
        }
    }

    @Test func encodingRoundTrips() throws {
        for delay in [TriggerDelay.milliseconds(1500), .date(Date(timeIntervalSince1970: 1_642_182_365.811)), .duration(3, .day), .duration(1, .week)] {
            let data = try JSONEncoder().encode(delay)
            #expect(try JSONDecoder().decode(TriggerDelay.self, from: data) == delay, "\(String(decoding: data, as: UTF8.self))")
        }
        #expect(TriggerDelay.duration(1, .week).description == "1 week")
        #expect(TriggerDelay.duration(3, .day).description == "3 days")
    }

    // MARK: - ISO8601Timestamp

    @Test func timestampsFormatInUTCOrLocalTime() throws {
        let date = at("2026-03-14T10:10:00.123Z")
        #expect(ISO8601Timestamp.string(from: date) == "2026-03-14T10:10:00Z")
        #expect(ISO8601Timestamp.string(from: date, fractionalSeconds: true) == "2026-03-14T10:10:00.123Z")
        #expect(ISO8601Timestamp.string(from: date, timeZone: TimeZone(identifier: "Europe/Berlin")) == "2026-03-14T11:10:00+01:00")
        #expect(ISO8601Timestamp.string(from: date, timeZone: TimeZone(identifier: "America/New_York")) == "2026-03-14T06:10:00-04:00")
        #expect(ISO8601Timestamp.string(from: date, timeZone: .gmt) == "2026-03-14T10:10:00Z")
        #expect(ISO8601Timestamp.date(from: "2026-03-14") == at("2026-03-14T00:00:00Z"))
        #expect(ISO8601Timestamp.date(from: "1969-12-31T23:59:59Z")?.timeIntervalSince1970 == -1)
        #expect(ISO8601Timestamp.string(from: Date(timeIntervalSince1970: -0.5), fractionalSeconds: true) == "1969-12-31T23:59:59.500Z")
    }
}
