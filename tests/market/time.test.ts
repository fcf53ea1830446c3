import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { MS_PER_YEAR, parseTime, yearFraction } from "../../src/conventions.js";

describe("parseTime", () => {
  it("reads a date-time without offset as UTC", () => {
    expect(parseTime("2025-06-27T08:00:00")).toBe(Date.UTC(2025, 5, 27, 8));
    expect(parseTime("2025-06-27T08:00")).toBe(Date.UTC(2025, 5, 27, 8));
  });

  it("reads a bare date as midnight UTC", () => {
    expect(parseTime("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
  });

  it("applies Z and numeric offsets", () => {
    expect(parseTime("2025-06-27T08:00:00Z")).toBe(Date.UTC(2025, 5, 27, 8));
    expect(parseTime("2025-06-27T10:30:00+02:30")).toBe(Date.UTC(2025, 5, 27, 8));
    expect(parseTime("2025-06-27T03:00:00-0500")).toBe(Date.UTC(2025, 5, 27, 8));
    expect(parseTime("2025-06-27T08:00:00+02")).toBe(Date.UTC(2025, 5, 27, 6));
  });

  it("keeps fractional seconds", () => {
    expect(parseTime("2025-01-01T00:00:00.250Z")).toBe(Date.UTC(2025, 0, 1) + 250);
    expect(parseTime("2025-01-01T00:00:01.5")).toBe(Date.UTC(2025, 0, 1) + 1500);
  });

  it("agrees with Date.UTC across centuries and leap years", () => {
    for (const [y, m, d] of [[1900, 3, 1], [2000, 2, 29], [2100, 12, 31], [1970, 1, 1], [1969, 12, 31]] as const) {
      const iso = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}T12:34:56Z`;
      expect(parseTime(iso)).toBe(Date.UTC(y, m - 1, d, 12, 34, 56));
    }
  });

  it.each(["", "2025-6-27", "27/06/2025", "June 27, 2025", "2025-02-29", "2025-13-01", "2025-06-31", "2025-06-27T24:00", "2025-06-27T08:60", "2025-06-27T08:00:00+2500", "2025-06-27 08:00"])(
    "rejects %j with an InputError",
    (s) => {
      expect(() => parseTime(s)).toThrow(InputError);
      expect(() => parseTime(s)).toThrow(/not an ISO-8601 date/);
    },
  );
});

describe("yearFraction", () => {
  it("is ACT/365 in milliseconds", () => {
    expect(MS_PER_YEAR).toBe(365 * 24 * 3600 * 1000);
    expect(yearFraction(parseTime("2025-01-01"), parseTime("2026-01-01"))).toBe(1);
    expect(yearFraction(parseTime("2024-01-01"), parseTime("2025-01-01"))).toBe(366 / 365);
    expect(yearFraction(parseTime("2025-01-01T01:00Z"), parseTime("2025-01-01"))).toBe(-1 / 8760);
  });
});
