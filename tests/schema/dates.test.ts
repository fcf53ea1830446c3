import { describe, expect, it } from "vitest";
import { parseTime } from "../../src/conventions.js";
import { isoDateToMillis } from "../../src/schema/index.js";

describe("isoDateToMillis", () => {
  it("reads a date as 00:00 UTC", () => {
    expect(isoDateToMillis("2026-12-25")).toBe(Date.UTC(2026, 11, 25));
  });

  it("reads a date-time without an offset as UTC", () => {
    expect(isoDateToMillis("2026-12-25T08:00")).toBe(Date.UTC(2026, 11, 25, 8));
    expect(isoDateToMillis("2026-12-25T08:00:00.250")).toBe(Date.UTC(2026, 11, 25, 8, 0, 0, 250));
  });

  it("applies Z and numeric offsets", () => {
    expect(isoDateToMillis("2026-12-25T08:00:00Z")).toBe(Date.UTC(2026, 11, 25, 8));
    expect(isoDateToMillis("2026-12-25T10:30:00+02:30")).toBe(Date.UTC(2026, 11, 25, 8));
  });

  it("gives the market layer's instant, to the fraction of a millisecond", () => {
    for (const text of ["2026-12-25T08:00:00.0005Z", "2026-12-25T10:30:00.123456+02:30", "2026-12-25"]) {
      expect(isoDateToMillis(text)).toBe(parseTime(text));
    }
    expect(isoDateToMillis("2026-12-25T08:00:00.0005Z")).toBe(Date.UTC(2026, 11, 25, 8) + 0.5);
  });

  it("knows leap years", () => {
    expect(isoDateToMillis("2028-02-29")).toBe(Date.UTC(2028, 1, 29));
    expect(isoDateToMillis("2026-02-29")).toBeUndefined();
  });

  it.each(["2026-04-31", "2026-00-10", "2026-12-25T23:60:00Z", "2026-12-25T08:00:00+24:00", "2026-12-25t08:00:00z", " 2026-12-25", "Dec 25 2026", "1766649600000"])(
    "rejects %j",
    (text) => {
      expect(isoDateToMillis(text)).toBeUndefined();
    },
  );
});
