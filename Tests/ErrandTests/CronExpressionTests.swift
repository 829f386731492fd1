import Foundation
import Testing

@testable import Errand
import ErrandStoreTests

/// Parses an ISO-8601 test time.
private func at(_ text: String) -> Date {
    guard let date = ISO8601Timestamp.date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

/// The next `count` firings as ISO-8601 UTC strings.
private func next(_ expression: String, after start: String, count: Int = 1, zone: String? = nil) throws -> [String] {
    let timeZone = zone.flatMap(TimeZone.init(identifier:)) ?? .gmt
    let cron = try CronExpression(expression, timeZone: timeZone)
    return cron.nextDates(after: at(start), count: count).map { ISO8601Timestamp.string(from: $0) }
}

/// The error a bad expression throws.
private func parseError(_ expression: String) -> ErrandError? {
    do {
        _ = try CronExpression(expression)
        return nil
    } catch let error as ErrandError {
        return error
    } catch {
        return nil
    }
}

@Suite struct CronExpressionTests {
    // MARK: - Fields and wildcards

    @Test func fixedMinuteAndHourFiresDaily() throws {
        #expect(try next("0 10 * * ? *", after: "2026-03-14T10:07:30Z", count: 2) == ["2026-03-15T10:00:00Z", "2026-03-16T10:00:00Z"])
    }

    @Test func nextIsStrictlyAfterAtMinuteResolution() throws {
        #expect(try next("* * * * ? *", after: "2026-03-14T10:07:30Z") == ["2026-03-14T10:08:00Z"])
        #expect(try next("* * * * ? *", after: "2026-03-14T10:08:00Z") == ["2026-03-14T10:09:00Z"])
        #expect(try next("* * * * ? *", after: "2026-03-14T10:07:59.999Z") == ["2026-03-14T10:08:00Z"])
    }

    @Test func commaListsAddValues() throws {
        #expect(try next("0,20,40 * * * ? *", after: "2026-03-14T10:07:00Z", count: 3) == [
            "2026-03-14T10:20:00Z", "2026-03-14T10:40:00Z", "2026-03-14T11:00:00Z",
        ])
    }

    @Test func dashRangesIncludeBothEnds() throws {
        #expect(try next("0 22-23 * * ? *", after: "2026-03-14T21:00:00Z", count: 3) == [
            "2026-03-14T22:00:00Z", "2026-03-14T23:00:00Z", "2026-03-15T22:00:00Z",
        ])
    }

    @Test func starWithStepStartsAtTheFieldMinimum() throws {
        #expect(try next("*/15 * * * ? *", after: "2026-03-14T10:07:00Z", count: 4) == [
            "2026-03-14T10:15:00Z", "2026-03-14T10:30:00Z", "2026-03-14T10:45:00Z", "2026-03-14T11:00:00Z",
        ])
    }

    @Test func rangeWithStep() throws {
        #expect(try next("5-50/10 * * * ? *", after: "2026-03-14T10:07:30Z", count: 6) == [
            "2026-03-14T10:15:00Z", "2026-03-14T10:25:00Z", "2026-03-14T10:35:00Z",
            "2026-03-14T10:45:00Z", "2026-03-14T11:05:00Z", "2026-03-14T11:15:00Z",
        ])
    }

    @Test func startWithStepRunsToTheFieldMaximum() throws {
        #expect(try next("1/10 * * * ? *", after: "2026-03-14T10:50:00Z", count: 3) == [
            "2026-03-14T10:51:00Z", "2026-03-14T11:01:00Z", "2026-03-14T11:11:00Z",
        ])
        #expect(try next("0 20/2 * * ? *", after: "2026-03-14T20:00:00Z", count: 2) == [
            "2026-03-14T22:00:00Z", "2026-03-15T20:00:00Z",
        ])
    }

    @Test func stepsWorkInMonthsAndYears() throws {
        #expect(try next("0 0 1 1/4 ? *", after: "2026-03-14T00:00:00Z", count: 3) == [
            "2026-05-01T00:00:00Z", "2026-09-01T00:00:00Z", "2027-01-01T00:00:00Z",
        ])
        #expect(try next("0 0 1 1 ? 2026/3", after: "2026-03-14T00:00:00Z", count: 2) == [
            "2029-01-01T00:00:00Z", "2032-01-01T00:00:00Z",
        ])
    }

    @Test func businessHoursOnWeekdays() throws {
        // Friday 2026-03-13 17:55 is the last of the week; Monday resumes at 08:00.
        #expect(try next("0/5 8-17 ? * MON-FRI *", after: "2026-03-13T17:50:00Z", count: 3) == [
            "2026-03-13T17:55:00Z", "2026-03-16T08:00:00Z", "2026-03-16T08:05:00Z",
        ])
    }

    @Test func namesAreCaseInsensitiveAlsoInRanges() throws {
        #expect(try next("0 0 1 jan,Jul ? *", after: "2026-03-14T00:00:00Z", count: 2) == [
            "2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z",
        ])
        #expect(try next("0 9 ? * tue-Thu *", after: "2026-03-14T00:00:00Z", count: 3) == [
            "2026-03-17T09:00:00Z", "2026-03-18T09:00:00Z", "2026-03-19T09:00:00Z",
        ])
        #expect(try next("0 0 1 NOV-DEC ? *", after: "2026-03-14T00:00:00Z", count: 3) == [
            "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2027-11-01T00:00:00Z",
        ])
    }

    @Test func dayOfWeekNumbersStartWithSunday() throws {
        // 2026-03-15 is a Sunday, 2026-03-21 a Saturday.
        #expect(try next("0 0 ? * 1 *", after: "2026-03-14T00:00:00Z") == ["2026-03-15T00:00:00Z"])
        #expect(try next("0 0 ? * 7 *", after: "2026-03-14T00:00:00Z") == ["2026-03-21T00:00:00Z"])
    }

    @Test func cronWrapperIsAccepted() throws {
        #expect(try next("cron(0 18 ? * MON-FRI *)", after: "2026-03-14T00:00:00Z") == ["2026-03-16T18:00:00Z"])
        #expect(try next("  cron(15 12 * * ? *)  ", after: "2026-03-14T00:00:00Z") == ["2026-03-14T12:15:00Z"])
    }

    @Test func firstMondayOfTheMonth() throws {
        #expect(try next("0 9 ? * 2#1 *", after: "2026-03-14T00:00:00Z", count: 2) == [
            "2026-04-06T09:00:00Z", "2026-05-04T09:00:00Z",
        ])
    }

    // MARK: - Month ends, L and W

    @Test func leapDayFiresOnlyInLeapYears() throws {
        #expect(try next("0 0 29 2 ? *", after: "2025-01-01T00:00:00Z", count: 2) == ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"])
        // 2100 is not a leap year.
        #expect(try next("0 0 29 2 ? *", after: "2097-01-01T00:00:00Z") == ["2104-02-29T00:00:00Z"])
    }

    @Test func day31SkipsShorterMonths() throws {
        #expect(try next("0 0 31 * ? *", after: "2026-03-31T00:00:00Z", count: 3) == [
            "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z",
        ])
    }

    @Test func lastDayOfMonth() throws {
        #expect(try next("0 0 L * ? *", after: "2028-01-31T00:00:00Z", count: 3) == [
            "2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z", "2028-04-30T00:00:00Z",
        ])
        #expect(try next("0 0 L 2 ? *", after: "2026-03-01T00:00:00Z") == ["2027-02-28T00:00:00Z"])
    }

    @Test func offsetFromLastDay() throws {
        #expect(try next("0 0 L-3 * ? *", after: "2026-02-01T00:00:00Z", count: 2) == [
            "2026-02-25T00:00:00Z", "2026-03-28T00:00:00Z",
        ])
    }

    @Test func nearestWeekdayStaysOnAWeekday() throws {
        // 2026-03-15 is a Sunday → Monday 16th; 2026-04-15 is a Wednesday.
        #expect(try next("0 0 15W * ? *", after: "2026-03-01T00:00:00Z", count: 2) == [
            "2026-03-16T00:00:00Z", "2026-04-15T00:00:00Z",
        ])
        // 2026-08-15 is a Saturday → Friday 14th.
        #expect(try next("0 0 15W 8 ? *", after: "2026-03-01T00:00:00Z") == ["2026-08-14T00:00:00Z"])
    }

    @Test func nearestWeekdayNeverLeavesTheMonth() throws {
        // 2026-08-01 is a Saturday: not Friday 31 July but Monday 3 August.
        #expect(try next("0 0 1W 8 ? *", after: "2026-03-01T00:00:00Z") == ["2026-08-03T00:00:00Z"])
        // 2026-05-31 is a Sunday: not Monday 1 June but Friday 29 May.
        #expect(try next("0 0 31W 5 ? *", after: "2026-03-01T00:00:00Z") == ["2026-05-29T00:00:00Z"])
        // 2026-02-01 is a Sunday → Monday 2nd.
        #expect(try next("0 0 1W 2 ? *", after: "2026-01-01T00:00:00Z") == ["2026-02-02T00:00:00Z"])
    }

    @Test func nearestWeekdayToAMissingDayDoesNotFire() throws {
        // April has no 31st: 31W fires in March and May only.
        #expect(try next("0 0 31W 3-5 ? *", after: "2026-03-01T00:00:00Z", count: 2) == [
            "2026-03-31T00:00:00Z", "2026-05-29T00:00:00Z",
        ])
    }

    @Test func lastWeekdayOfMonth() throws {
        // Jan 2026 ends on Saturday, May 2026 on Sunday, Mar 2026 on Tuesday.
        #expect(try next("0 0 LW * ? *", after: "2026-01-01T00:00:00Z", count: 5) == [
            "2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-31T00:00:00Z",
            "2026-04-30T00:00:00Z", "2026-05-29T00:00:00Z",
        ])
    }

    @Test func lAloneInDayOfWeekMeansSaturday() throws {
        #expect(try next("0 0 ? * L *", after: "2026-03-14T00:00:00Z", count: 2) == [
            "2026-03-21T00:00:00Z", "2026-03-28T00:00:00Z",
        ])
    }

    @Test func lastFridayOfMonth() throws {
        #expect(try next("0 0 ? * 6L *", after: "2026-01-01T00:00:00Z", count: 3) == [
            "2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-27T00:00:00Z",
        ])
        #expect(try next("0 0 ? * FRIL *", after: "2026-01-01T00:00:00Z") == ["2026-01-30T00:00:00Z"])
    }

    @Test func secondTuesday() throws {
        #expect(try next("0 0 ? * 3#2 *", after: "2026-03-01T00:00:00Z", count: 2) == [
            "2026-03-10T00:00:00Z", "2026-04-14T00:00:00Z",
        ])
    }

    @Test func fifthThursdayFiresOnlyInMonthsThatHaveOne() throws {
        #expect(try next("0 0 ? * 5#5 *", after: "2026-01-01T00:00:00Z", count: 4) == [
            "2026-01-29T00:00:00Z", "2026-04-30T00:00:00Z", "2026-07-30T00:00:00Z", "2026-10-29T00:00:00Z",
        ])
    }

    // MARK: - Years

    @Test func yearRollsOver() throws {
        #expect(try next("59 23 31 12 ? *", after: "2026-12-31T23:59:00Z") == ["2027-12-31T23:59:00Z"])
        #expect(try next("* * * * ? *", after: "2026-12-31T23:59:00Z") == ["2027-01-01T00:00:00Z"])
        #expect(try next("0 0 1 1 ? 2027,2030", after: "2026-03-14T00:00:00Z", count: 3) == [
            "2027-01-01T00:00:00Z", "2030-01-01T00:00:00Z",
        ])
    }

    @Test func lastYearIs2199() throws {
        #expect(try next("0 12 ? * 6L 2199", after: "2026-01-01T00:00:00Z") == ["2199-01-25T12:00:00Z"])
        #expect(try next("59 23 31 12 ? *", after: "2199-12-31T23:58:00Z", count: 2) == ["2199-12-31T23:59:00Z"])
        #expect(try CronExpression("* * * * ? *").next(after: at("2199-12-31T23:59:00Z")) == nil)
    }

    @Test func datesBefore1970StartAt1970() throws {
        #expect(try next("0 0 1 1 ? *", after: "1900-01-01T00:00:00Z") == ["1970-01-01T00:00:00Z"])
    }

    // MARK: - Never firing

    /// Valid expressions that can never fire again yield no next time (their speed is measured by
    /// `errand bench --phases cron`, not here).
    @Test func expressionsThatNeverFireReturnNil() throws {
        for text in ["0 0 30 2 ? *", "0 0 31 2 ? *", "0 0 31 4,6,9,11 ? *", "0 0 1 1 ? 2020", "0 0 1 1 ? 2026"] {
            let cron = try CronExpression(text)
            #expect(cron.next(after: at("2026-03-14T00:00:00Z")) == nil, "\(text)")
        }
    }

    @Test func nextDatesStopsWhenTheScheduleEnds() throws {
        #expect(try next("0 0 1 1 ? 2027-2028", after: "2026-03-14T00:00:00Z", count: 5) == [
            "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z",
        ])
        #expect(try next("0 0 1 1 ? *", after: "2026-03-14T00:00:00Z", count: 0) == [])
    }

    // MARK: - Five-field Unix cron

    @Test func unixEveryFifteenMinutes() throws {
        #expect(try next("*/15 * * * *", after: "2026-03-14T10:07:00Z", count: 2) == ["2026-03-14T10:15:00Z", "2026-03-14T10:30:00Z"])
    }

    @Test func unixSundayIsZeroOrSeven() throws {
        #expect(try next("0 0 * * 0", after: "2026-03-14T00:00:00Z") == ["2026-03-15T00:00:00Z"])
        #expect(try next("0 0 * * 7", after: "2026-03-14T00:00:00Z") == ["2026-03-15T00:00:00Z"])
        #expect(try next("0 0 * * 5-7", after: "2026-03-13T00:00:00Z", count: 3) == [
            "2026-03-14T00:00:00Z", "2026-03-15T00:00:00Z", "2026-03-20T00:00:00Z",
        ])
    }

    @Test func unixNamesAndStarsInBothDayFields() throws {
        #expect(try next("30 9 * * mon-fri", after: "2026-03-13T10:00:00Z") == ["2026-03-16T09:30:00Z"])
        #expect(try next("0 0 * * *", after: "2026-03-14T10:00:00Z") == ["2026-03-15T00:00:00Z"])
        #expect(try next("0 0 1 jan *", after: "2026-03-14T10:00:00Z") == ["2027-01-01T00:00:00Z"])
    }

    @Test func unixRestrictedDayFieldsMatchEither() throws {
        // The 13th or any Friday (2026-03-13 is a Friday).
        #expect(try next("0 0 13 * 5", after: "2026-03-01T00:00:00Z", count: 4) == [
            "2026-03-06T00:00:00Z", "2026-03-13T00:00:00Z", "2026-03-20T00:00:00Z", "2026-03-27T00:00:00Z",
        ])
        #expect(try next("0 0 13 * 5", after: "2026-03-27T00:00:00Z", count: 2) == [
            "2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z",
        ])
        #expect(try next("0 0 14 * 5", after: "2026-04-10T00:00:00Z") == ["2026-04-14T00:00:00Z"])
    }

    @Test func unixStarPrefixedDayFieldMeansBoth() throws {
        // "*/2" starts with "*": odd days that are also Fridays (Vixie rule).
        #expect(try next("0 0 */2 * 5", after: "2026-03-01T00:00:00Z", count: 2) == [
            "2026-03-13T00:00:00Z", "2026-03-27T00:00:00Z",
        ])
    }

    // MARK: - Errors

    @Test func errorsNameTheFieldTheTokenAndWhatIsAllowed() throws {
        let cases: [(String, field: String, token: String)] = [
            ("60 * * * ? *", "minutes", "60"),
            ("0 24 * * ? *", "hours", "24"),
            ("0 0 32 * ? *", "day-of-month", "32"),
            ("0 0 0 * ? *", "day-of-month", "0"),
            ("0 0 1 13 ? *", "month", "13"),
            ("0 0 1 FOO ? *", "month", "FOO"),
            ("0 0 ? * 8 *", "day-of-week", "8"),
            ("0 0 ? * 0 *", "day-of-week", "0"),
            ("0 0 ? * FUN *", "day-of-week", "FUN"),
            ("0 0 1 1 ? 1969", "year", "1969"),
            ("0 0 1 1 ? 2200", "year", "2200"),
            ("0 0 1 1 ? 20x6", "year", "20x6"),
            ("30-10 * * * ? *", "minutes", "30-10"),
            ("0 0 ? * FRI-MON *", "day-of-week", "FRI-MON"),
            ("*/0 * * * ? *", "minutes", "*/0"),
            ("*/61 * * * ? *", "minutes", "*/61"),
            ("*/x * * * ? *", "minutes", "*/x"),
            ("1/2/3 * * * ? *", "minutes", "1/2/3"),
            ("1,,2 * * * ? *", "minutes", ""),
            ("? * * * ? *", "minutes", "?"),
            ("0 0 1,? * ? *", "day-of-month", "?"),
            ("0 0 32W * ? *", "day-of-month", "32W"),
            ("0 0 1-5W * ? *", "day-of-month", "1-5W"),
            ("0 0 L-31 * ? *", "day-of-month", "L-31"),
            ("0 0 L * ? L", "year", "L"),
            ("0 0 ? * 8#1 *", "day-of-week", "8#1"),
            ("0 0 ? * 2#6 *", "day-of-week", "2#6"),
            ("0 0 ? * 2#0 *", "day-of-week", "2#0"),
            ("0 0 ? * 9L *", "day-of-week", "9L"),
            ("0 0 * * 8", "day-of-week", "8"),
            ("0 0 ? * *", "day-of-month", "?"),
            ("0 0 L * *", "day-of-month", "L"),
            ("0 0 15W * *", "day-of-month", "15W"),
            ("0 0 * * 5L", "day-of-week", "5L"),
            ("0 0 * * 5#2", "day-of-week", "5#2"),
        ]
        for (expression, field, token) in cases {
            let error = try #require(parseError(expression), "\(expression) should be rejected")
            #expect(error.code == .invalidArgument)
            #expect(error.field == "cron")
            #expect(error.message.contains("invalid cron expression \"\(expression)\""), "\(error.message)")
            #expect(error.message.contains("\(field) field: token \"\(token)\""), "\(expression): \(error.message)")
            #expect(error.message.contains("allowed"), "\(error.message)")
        }
    }

    @Test func outOfRangeDayOfWeekMessage() throws {
        let error = try #require(parseError("0 0 ? * 8 *"))
        #expect(error.message == #"invalid cron expression "0 0 ? * 8 *": day-of-week field: token "8" is out of range; allowed 1-7 or SUN-SAT, with , - * ? / L # (L, nL, n#k)"#)
    }

    @Test func fieldCountOtherThanFiveOrSixIsAnError() throws {
        for (expression, count) in [("0 0 * *", 4), ("0 0 0 * * ? *", 7), ("0", 1)] {
            let error = try #require(parseError(expression))
            #expect(error.message.contains("has \(count) field"), "\(error.message)")
            #expect(error.message.contains("six"), "\(error.message)")
        }
        #expect(parseError("   ")?.message.contains("is empty") == true)
    }

    @Test func cronWrapperNeedsExactlySixFields() throws {
        let error = try #require(parseError("cron(0 0 * * *)"))
        #expect(error.message.contains("cron(...) has 5 fields"), "\(error.message)")
        #expect(parseError("cron(0 0 * * ? *")?.message.contains("does not end with \")\"") == true)
    }

    @Test func awsNeedsExactlyOneQuestionMark() throws {
        let bothStars = try #require(parseError("0 0 * * * *"))
        #expect(bothStars.message.contains("both \"*\""), "\(bothStars.message)")
        #expect(bothStars.message.contains("must be \"?\""))
        let bothQuestionMarks = try #require(parseError("0 0 ? * ? *"))
        #expect(bothQuestionMarks.message.contains("both \"?\""), "\(bothQuestionMarks.message)")
        let neither = try #require(parseError("0 0 15 * MON *"))
        #expect(neither.message.contains("day-of-month \"15\" and day-of-week \"MON\""), "\(neither.message)")
    }

    // MARK: - Time zones and daylight saving

    @Test func fieldsMatchLocalWallTime() throws {
        // Berlin is UTC+1 in winter, UTC+2 in summer.
        #expect(try next("0 9 * * ? *", after: "2026-01-10T00:00:00Z", zone: "Europe/Berlin") == ["2026-01-10T08:00:00Z"])
        #expect(try next("0 9 * * ? *", after: "2026-07-10T00:00:00Z", zone: "Europe/Berlin") == ["2026-07-10T07:00:00Z"])
        #expect(try next("0 0 1 * ? *", after: "2026-03-14T00:00:00Z", zone: "Asia/Kolkata") == ["2026-03-31T18:30:00Z"])
    }

    @Test func fixedOffsetZones() throws {
        let zone = try #require(TimeZone(secondsFromGMT: -3 * 3600))
        let cron = try CronExpression("0 9 * * ? *", timeZone: zone)
        #expect(cron.next(after: at("2026-03-14T00:00:00Z")) == at("2026-03-14T12:00:00Z"))
    }

    @Test func skippedHourFiresShiftedForwardInNewYork() throws {
        // 2026-03-08: New York clocks go from 02:00 EST to 03:00 EDT; 02:30 does not exist.
        #expect(try next("30 2 * * ? *", after: "2026-03-07T12:00:00Z", count: 3, zone: "America/New_York") == [
            "2026-03-08T07:30:00Z", // 03:30 EDT, shifted forward by the one-hour gap
            "2026-03-09T06:30:00Z", // 02:30 EDT
            "2026-03-10T06:30:00Z",
        ])
    }

    @Test func skippedHourFiresShiftedForwardInBerlin() throws {
        // 2026-03-29: Berlin clocks go from 02:00 CET to 03:00 CEST.
        #expect(try next("30 2 * * ? *", after: "2026-03-28T12:00:00Z", count: 2, zone: "Europe/Berlin") == [
            "2026-03-29T01:30:00Z", // 03:30 CEST
            "2026-03-30T00:30:00Z", // 02:30 CEST
        ])
    }

    @Test func shiftedFiringIsStillDueJustAfterTheGap() throws {
        let cron = try CronExpression("30 2 * * ? *", timeZone: try #require(TimeZone(identifier: "America/New_York")))
        // 03:10 EDT, after the gap began but before the shifted 03:30 firing.
        #expect(cron.next(after: at("2026-03-08T07:10:00Z")) == at("2026-03-08T07:30:00Z"))
    }

    @Test func frequentScheduleAcrossTheGapHasNoDuplicates() throws {
        #expect(try next("*/30 * * * ? *", after: "2026-03-08T06:00:00Z", count: 4, zone: "America/New_York") == [
            "2026-03-08T06:30:00Z", // 01:30 EST
            "2026-03-08T07:00:00Z", // 02:00 → 03:00 EDT
            "2026-03-08T07:30:00Z", // 03:30 EDT
            "2026-03-08T08:00:00Z",
        ])
    }

    @Test func repeatedHourFiresOnceAtFirstOccurrenceInNewYork() throws {
        // 2026-11-01: New York clocks go from 02:00 EDT back to 01:00 EST; 01:30 happens twice.
        #expect(try next("30 1 * * ? *", after: "2026-10-31T12:00:00Z", count: 2, zone: "America/New_York") == [
            "2026-11-01T05:30:00Z", // 01:30 EDT, the first occurrence
            "2026-11-02T06:30:00Z", // 01:30 EST the next day
        ])
        #expect(try next("*/30 * * * ? *", after: "2026-11-01T04:00:00Z", count: 5, zone: "America/New_York") == [
            "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z",
            "2026-11-01T07:00:00Z", // 02:00 EST: the repeated 01:00 and 01:30 EST do not fire again
            "2026-11-01T07:30:00Z",
        ])
    }

    @Test func repeatedHourFiresOnceAtFirstOccurrenceInBerlin() throws {
        // 2026-10-25: Berlin clocks go from 03:00 CEST back to 02:00 CET; 02:30 happens twice.
        #expect(try next("30 2 * * ? *", after: "2026-10-24T12:00:00Z", count: 2, zone: "Europe/Berlin") == [
            "2026-10-25T00:30:00Z", // 02:30 CEST
            "2026-10-26T01:30:00Z", // 02:30 CET
        ])
    }

    @Test func startingInsideTheRepeatedHourSkipsWallTimesAlreadyFired() throws {
        let cron = try CronExpression("*/15 * * * ? *", timeZone: try #require(TimeZone(identifier: "America/New_York")))
        // 01:20 EST, the second pass: 01:30 and 01:45 fired an hour ago (EDT).
        #expect(cron.next(after: at("2026-11-01T06:20:00Z")) == at("2026-11-01T07:00:00Z"))
    }

    // MARK: - matches, equality, description

    @Test func matchesComparesTheWallClockMinute() throws {
        let cron = try CronExpression("0/5 8-17 ? * MON-FRI *")
        #expect(cron.matches(at("2026-03-13T17:55:00Z")))
        #expect(cron.matches(at("2026-03-13T17:55:42Z")))
        #expect(!cron.matches(at("2026-03-13T17:56:00Z")))
        #expect(!cron.matches(at("2026-03-14T10:00:00Z"))) // Saturday
        let berlin = try CronExpression("0 9 * * ? *", timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        #expect(berlin.matches(at("2026-01-10T08:00:00Z")))
        #expect(!berlin.matches(at("2026-01-10T09:00:00Z")))
    }

    @Test func equalityAndDescriptionUseTheText() throws {
        let a = try CronExpression(" 0 10 * * ? * ")
        #expect(a.text == "0 10 * * ? *")
        #expect(a.description == "0 10 * * ? *")
        #expect(a == (try CronExpression("0 10 * * ? *")))
        #expect(a != (try CronExpression("0 10 * * ? *", timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))))
        #expect(Set([a, try CronExpression("0 10 * * ? *")]).count == 1)
    }

    // MARK: - Properties

    @Test func randomExpressionsAgreeWithBruteForce() throws {
        var random = SplitMix64(seed: 0x5EED_C0DE)
        for _ in 0..<150 {
            let expression = RandomCron.aws(&random)
            try checkAgainstBruteForce(expression, random: &random)
        }
        for _ in 0..<80 {
            let expression = RandomCron.unix(&random)
            try checkAgainstBruteForce(expression, random: &random)
        }
    }

    @Test func randomExpressionsInADaylightSavingZoneAreStrictlyIncreasing() throws {
        var random = SplitMix64(seed: 42)
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        for _ in 0..<100 {
            let cron = try CronExpression(RandomCron.aws(&random), timeZone: zone)
            let start = Date(timeIntervalSince1970: 1_767_225_600 + Double(random.next(below: 3 * 365 * 86_400)))
            let dates = cron.nextDates(after: start, count: 30)
            var previous = start
            for date in dates {
                #expect(date > previous, "\(cron.text) from \(start)")
                #expect(date.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
                // A firing matches its wall time unless it was shifted out of a skipped hour.
                if !cron.matches(date) {
                    let transition = zone.nextDaylightSavingTimeTransition(after: date.addingTimeInterval(-2 * 3600))
                    #expect(transition.map { $0 <= date } == true, "\(cron.text) fired at \(date) which does not match")
                }
                previous = date
            }
        }
    }

    /// nextDates are strictly increasing, each matches, and scanning every minute up to the last
    /// result (or a horizon) finds exactly the results.
    private func checkAgainstBruteForce(_ expression: String, random: inout SplitMix64) throws {
        let cron = try CronExpression(expression)
        let start = Date(timeIntervalSince1970: 1_767_225_600 + Double(random.next(below: 4 * 365 * 86_400)))
        let dates = cron.nextDates(after: start, count: 40)
        var previous = start
        for date in dates {
            #expect(date > previous, "\(expression)")
            #expect(cron.matches(date), "\(expression) at \(date)")
            previous = date
        }
        let horizonMinutes = 3 * 1440
        let firstMinute = (start.timeIntervalSince1970 / 60).rounded(.down) + 1
        let lastMinute = min(firstMinute + Double(horizonMinutes), (dates.last?.timeIntervalSince1970 ?? .infinity) / 60)
        let expected = Set(dates.map(\.timeIntervalSince1970))
        var minute = firstMinute
        while minute <= lastMinute {
            let date = Date(timeIntervalSince1970: minute * 60)
            if cron.matches(date) != expected.contains(minute * 60) {
                Issue.record("\(expression) from \(start): brute force and nextDates disagree at \(date)")
                return
            }
            minute += 1
        }
    }
}

/// Random valid cron expressions, dense enough for brute-force checks.
private enum RandomCron {
    static func aws(_ random: inout SplitMix64) -> String {
        let minutes = numeric(&random, 0...59)
        let hours = numeric(&random, 0...23)
        let month = pick(&random, ["*", "*", "*", "1-6", "*/2", "MAR,JUL,NOV", "2", "FEB-APR"])
        let year = pick(&random, ["*", "*", "2026-2031", "2027/2"])
        let dayOfMonth = ["*", "L", "LW", "15W", "1W", "31W", "L-2", "1-10", "*/3", "5,10,29-31", "29"]
        let dayOfWeek = ["*", "MON-FRI", "6L", "L", "3#2", "5#5", "1,7", "2/2", "sun"]
        if random.next(below: 2) == 0 {
            return "\(minutes) \(hours) \(pick(&random, dayOfMonth)) \(month) ? \(year)"
        }
        return "\(minutes) \(hours) ? \(month) \(pick(&random, dayOfWeek)) \(year)"
    }

    static func unix(_ random: inout SplitMix64) -> String {
        let minutes = numeric(&random, 0...59)
        let hours = numeric(&random, 0...23)
        let dayOfMonth = pick(&random, ["*", "*", "1-15", "*/2", "13", "28-31"])
        let month = pick(&random, ["*", "*", "jan-jun", "*/3"])
        let dayOfWeek = pick(&random, ["*", "*", "1-5", "0", "7", "5,6", "*/2", "fri"])
        return "\(minutes) \(hours) \(dayOfMonth) \(month) \(dayOfWeek)"
    }

    private static func numeric(_ random: inout SplitMix64, _ range: ClosedRange<Int>) -> String {
        let low = range.lowerBound + random.next(below: range.count)
        let high = low + random.next(below: range.upperBound - low + 1)
        let step = 1 + random.next(below: 12)
        switch random.next(below: 7) {
        case 0: return "*"
        case 1: return "*/\(step)"
        case 2: return "\(low)-\(high)/\(step)"
        case 3: return "\(low)/\(step)"
        case 4: return "\(low),\(high)"
        case 5: return "\(low)-\(high)"
        default: return "\(low)"
        }
    }

    private static func pick(_ random: inout SplitMix64, _ options: [String]) -> String {
        options[random.next(below: options.count)]
    }
}
