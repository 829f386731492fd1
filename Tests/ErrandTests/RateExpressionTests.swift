import Foundation
import Testing

@testable import Errand

private func at(_ text: String) -> Date {
    guard let date = ISO8601Timestamp.date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

private func rateError(_ text: String) -> ErrandError? {
    do {
        _ = try RateExpression(text)
        return nil
    } catch {
        return error as? ErrandError
    }
}

@Suite struct RateExpressionTests {
    @Test func awsFormWithSingularAndPluralUnits() throws {
        #expect(try RateExpression("rate(1 minute)").seconds == 60)
        #expect(try RateExpression("rate(5 minutes)").seconds == 300)
        #expect(try RateExpression("rate(1 hour)").seconds == 3_600)
        #expect(try RateExpression("rate(12 hours)").seconds == 43_200)
        #expect(try RateExpression("rate(1 day)").seconds == 86_400)
        #expect(try RateExpression("rate(7 days)").seconds == 604_800)
    }

    @Test func intervalIsADuration() throws {
        let rate = try RateExpression("rate(5 minutes)")
        #expect(rate.interval == .seconds(300))
        #expect(rate.value == 5)
        #expect(rate.unit == .minute)
        #expect(rate.text == "rate(5 minutes)")
        #expect(rate.description == "rate(5 minutes)")
    }

    @Test func bareAmptFormAcceptsSingularOrPlural() throws {
        #expect(try RateExpression("1 hour").seconds == 3_600)
        #expect(try RateExpression("5 minutes").seconds == 300)
        #expect(try RateExpression("1 hours").seconds == 3_600)
        #expect(try RateExpression("5 minute").seconds == 300)
        #expect(try RateExpression(" 2 Days ").seconds == 172_800)
    }

    @Test func awsFormRequiresSingularForOneAndPluralOtherwise() throws {
        for text in ["rate(1 minutes)", "rate(5 minute)", "rate(1 days)", "rate(2 hour)"] {
            let error = try #require(rateError(text), "\(text) should be rejected")
            #expect(error.field == "rate")
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("singular for 1 and plural otherwise"), "\(error.message)")
            #expect(error.message.contains("\"\(text)\""), "\(error.message)")
        }
    }

    @Test func valueMustBeAPositiveWholeNumber() throws {
        for (text, token) in [("rate(0 minutes)", "0"), ("rate(-5 minutes)", "-5"), ("rate(1.5 hours)", "1.5"), ("x minutes", "x")] {
            let error = try #require(rateError(text), "\(text) should be rejected")
            #expect(error.message.contains("value \"\(token)\" is not a positive whole number"), "\(error.message)")
        }
    }

    @Test func fasterThanOncePerMinuteIsRejected() throws {
        for text in ["rate(30 seconds)", "rate(1 second)", "30 seconds"] {
            let error = try #require(rateError(text))
            #expect(error.message.contains("faster than once a minute"), "\(error.message)")
            #expect(error.message.contains("minute(s), hour(s) or day(s)"), "\(error.message)")
        }
    }

    @Test func unknownUnitsAndShapesAreRejected() throws {
        #expect(rateError("5 fortnights")?.message.contains("unit \"fortnights\" is not allowed") == true)
        #expect(rateError("rate(5)")?.message.contains("expected a number and a unit") == true)
        #expect(rateError("rate(5 minutes")?.message.contains("does not end with \")\"") == true)
        #expect(rateError("rate(5 weeks)")?.message.contains("unit \"weeks\"") == true)
    }

    @Test func occurrencesLieOnTheAnchorGrid() throws {
        let rate = try RateExpression("rate(5 minutes)")
        let anchor = at("2026-03-14T10:02:00Z")
        #expect(rate.next(after: at("2026-03-14T10:07:30Z"), anchor: anchor) == at("2026-03-14T10:12:00Z"))
        #expect(rate.next(after: at("2026-03-14T10:07:00Z"), anchor: anchor) == at("2026-03-14T10:12:00Z"))
        #expect(rate.next(after: at("2026-03-14T10:06:59Z"), anchor: anchor) == at("2026-03-14T10:07:00Z"))
        #expect(rate.next(after: anchor, anchor: anchor) == at("2026-03-14T10:07:00Z"))
    }

    @Test func beforeTheAnchorTheAnchorComesFirst() throws {
        let rate = try RateExpression("1 hour")
        let anchor = at("2026-03-14T10:00:00Z")
        #expect(rate.next(after: at("2026-03-13T00:00:00Z"), anchor: anchor) == anchor)
    }

    @Test func nextDatesStepByTheInterval() throws {
        let rate = try RateExpression("rate(1 day)")
        let anchor = at("2026-03-14T10:00:00Z")
        #expect(rate.nextDates(after: anchor, count: 3, anchor: anchor) == [
            at("2026-03-15T10:00:00Z"), at("2026-03-16T10:00:00Z"), at("2026-03-17T10:00:00Z"),
        ])
        #expect(rate.nextDates(after: anchor, count: 0, anchor: anchor) == [])
    }

    // MARK: - ScheduleExpression

    @Test func scheduleExpressionTellsRateFromCron() throws {
        if case .rate(let rate) = try ScheduleExpression("rate(5 minutes)") { #expect(rate.seconds == 300) } else { Issue.record("not a rate") }
        if case .rate(let rate) = try ScheduleExpression("1 hour") { #expect(rate.seconds == 3_600) } else { Issue.record("not a rate") }
        if case .cron = try ScheduleExpression("0 10 * * ? *") {} else { Issue.record("not cron") }
        if case .cron = try ScheduleExpression("cron(0 10 * * ? *)") {} else { Issue.record("not cron") }
        if case .cron = try ScheduleExpression("*/5 * * * *") {} else { Issue.record("not cron") }
    }

    @Test func scheduleExpressionReportsTheRightError() throws {
        #expect(throws: ErrandError.self) { try ScheduleExpression("rate(1 minutes)") }
        do {
            _ = try ScheduleExpression("5 seconds")
            Issue.record("expected an error")
        } catch let error as ErrandError {
            #expect(error.field == "rate")
        }
        do {
            _ = try ScheduleExpression("0 0 * * * *")
            Issue.record("expected an error")
        } catch let error as ErrandError {
            #expect(error.field == "cron")
        }
    }

    @Test func scheduleExpressionNextDates() throws {
        let from = at("2026-03-14T10:07:00Z")
        let cron = try ScheduleExpression("0/5 * * * ? *")
        #expect(cron.nextDates(after: from, count: 2, anchor: from) == [at("2026-03-14T10:10:00Z"), at("2026-03-14T10:15:00Z")])
        let rate = try ScheduleExpression("rate(5 minutes)")
        #expect(rate.nextDates(after: from, count: 2, anchor: from) == [at("2026-03-14T10:12:00Z"), at("2026-03-14T10:17:00Z")])
        #expect(rate.next(after: from, anchor: from) == at("2026-03-14T10:12:00Z"))
        #expect(rate.text == "rate(5 minutes)")
        let berlin = try ScheduleExpression("0 9 * * ? *", timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        #expect(berlin.next(after: at("2026-01-10T00:00:00Z"), anchor: from) == at("2026-01-10T08:00:00Z"))
    }
}
