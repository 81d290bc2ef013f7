import { describe, expect, it } from "vitest";
import {
  type DetailKind,
  type IdentifyingDetail,
  describeKind,
  findIdentifyingDetails,
  maskDetail,
  maskDetails,
  replaceWithInitials,
  toInitials,
} from "./identifying-details.js";

function found(text: string, ownNames?: readonly string[]): [DetailKind, string][] {
  return findIdentifyingDetails(text, ownNames ? { ownNames } : {}).map((d) => [d.kind, d.text]);
}

describe("findIdentifyingDetails: each kind in a typical sentence", () => {
  it("finds full names, first names, titles and possessives", () => {
    expect(found("Sat with Jordan Whitaker for most of the afternoon.")).toEqual([
      ["name", "Jordan Whitaker"],
    ]);
    expect(found("Mrs Papadopoulos was worried about the rent again.")).toEqual([
      ["name", "Mrs Papadopoulos"],
    ]);
    expect(found("Tama's mum came to the hui.")).toEqual([["name", "Tama's"]]);
    expect(found("A young fella named Kai came in off the street.")).toEqual([["name", "Kai"]]);
    expect(found("Uncle Jack shared a yarn about Country.")).toEqual([["name", "Uncle Jack"]]);
  });

  it("finds names in casual lower-case writing when the context says person", () => {
    expect(found("sat with tama at lunch")).toEqual([["name", "tama"]]);
    expect(found("rang sione back after the team meeting")).toEqual([["name", "sione"]]);
  });

  it("finds Australian and New Zealand phone numbers in many spellings", () => {
    for (const phone of [
      "0412 345 678",
      "0412-345-678",
      "0412.345.678",
      "0412345678",
      "+61 412 345 678",
      "(02) 9876 5432",
      "021 123 4567",
      "+64 27 555 0192",
      "09-377 4821",
      "0491 570 156",
    ]) {
      expect(found(`Her number is ${phone} if you need it.`)).toEqual([["phone", phone]]);
    }
  });

  it("finds email addresses", () => {
    expect(found("Emailed aroha.k@xtra.co.nz the timetable.")).toEqual([["email", "aroha.k@xtra.co.nz"]]);
  });

  it("finds street addresses and PO boxes", () => {
    expect(found("Dropped the parcel to Unit 3/22 Smith Street today.")).toEqual([
      ["address", "Unit 3/22 Smith Street"],
    ]);
    expect(found("She is at 12a Ponsonby Rd for now.")).toEqual([["address", "12a Ponsonby Rd"]]);
    expect(found("Post it to PO Box 4417 instead.")).toEqual([["address", "PO Box 4417"]]);
  });

  it("finds dates of birth, but not other dates", () => {
    expect(found("DOB 03/07/1988 was on the referral.")).toEqual([["birthdate", "03/07/1988"]]);
    expect(found("The form said born 3 July 1988.")).toEqual([["birthdate", "3 July 1988"]]);
    expect(found("The file had d.o.b. 1988-07-03 on it.")).toEqual([["birthdate", "1988-07-03"]]);
    expect(found("Our team meeting on 12/03/2024 was cancelled.")).toEqual([]);
  });

  it("finds record numbers: MRN, URN, Medicare, NHI, client IDs", () => {
    expect(found("His MRN 4482913 was wrong.")).toEqual([["record", "4482913"]]);
    expect(found("Her Medicare number 2123 45670 1 had expired.")).toEqual([["record", "2123 45670 1"]]);
    expect(found("NHI ZZZ0016 was on the summary.")).toEqual([["record", "ZZZ0016"]]);
    expect(found("Her client ID is C-20417 in the new system.")).toEqual([["record", "C-20417"]]);
  });

  it("returns details sorted, non-overlapping, with text matching the offsets", () => {
    const text = "New referral: Michael Brown, 0433 222 111, lives at 9 Jacaranda Ave, DOB 04/09/2002.";
    const details = findIdentifyingDetails(text);
    expect(details.map((d) => d.kind)).toEqual(["name", "phone", "address", "birthdate"]);
    for (const [i, d] of details.entries()) {
      expect(text.slice(d.start, d.end)).toBe(d.text);
      const next = details[i + 1];
      if (next) expect(d.end).toBeLessThanOrEqual(next.start);
    }
  });
});

describe("findIdentifyingDetails: what it must not flag", () => {
  it("never flags the writer's own names", () => {
    expect(found("Alex, you handled that well.", ["Alex"])).toEqual([]);
    expect(found("Signed the timesheet as Jordan Lee.", ["Jordan Lee"])).toEqual([]);
    expect(found("Kim and I ran the group.", ["Alex"])).toEqual([["name", "Kim"]]);
  });

  it("does not flag helpline and service numbers", () => {
    for (const text of [
      "Gave him the Lifeline number, 13 11 14.",
      "Beyond Blue is on 1300 22 4636.",
      "Suicide Call Back Service is 1300 659 467.",
      "Kids Helpline is 1800 55 1800.",
      "In NZ she can call or text 1737.",
      "Youthline is 0800 376 633.",
      "Suicide Crisis Helpline 0508 828 865.",
      "Emergency is 000, or 111 in NZ.",
    ]) {
      expect(found(text)).toEqual([]);
    }
  });

  it("does not flag places, services, trainings, days, months or ordinary numbers", () => {
    for (const text of [
      "Drove to Geraldton for the regional peer network meeting.",
      "Te Whatu Ora changed the referral pathway again.",
      "Finished the Intentional Peer Support training today.",
      "Halfway through my Cert IV in Mental Health Peer Work.",
      "Monday was rough, but by Friday I felt better.",
      "The group in room 4 ran over by twenty minutes.",
      "Worked 2 shifts back to back.",
      "About 80% of the people at the forum had lived experience.",
    ]) {
      expect(found(text)).toEqual([]);
    }
  });

  it("does not flag names that are ordinary words used as words", () => {
    for (const text of [
      "Handled it with grace, I think.",
      "I hope she comes back next week.",
      "Will I ever get used to the paperwork?",
      "May was a hard month for the whole team.",
      "He was stressed about the power bill.",
      "Need to mark the roster before I leave.",
    ]) {
      expect(found(text)).toEqual([]);
    }
  });

  it("does not flag initials, which is what the guard recommends", () => {
    expect(found("JW seemed better today.")).toEqual([]);
    expect(found("Met with K.M. about discharge.")).toEqual([]);
    expect(found("Went through the J. situation again.")).toEqual([]);
  });
});

describe("masking", () => {
  const text = "Sat with Jordan Whitaker; his mobile is 0412 345 689 and email jordan.w@gmail.com.";
  const details = findIdentifyingDetails(text);

  it("masks each kind without repeating the detail in full", () => {
    for (const d of details) {
      const masked = maskDetail(d);
      expect(masked).not.toBe(d.text);
      expect(masked).toContain("•");
    }
    const byKind = Object.fromEntries(details.map((d) => [d.kind, maskDetail(d)]));
    expect(byKind.name).toBe("J••••• W•••••••");
    expect(byKind.phone).toBe("04•• ••• •89");
    expect(byKind.email).toBe("j•••••••@•••••.com");
  });

  it("does not leave the digits of a record or date of birth readable", () => {
    const [dob, record] = findIdentifyingDetails("DOB 03/07/1988, MRN 4482913.");
    expect(dob && maskDetail(dob)).toBe("••/••/••••");
    expect(record && maskDetail(record)).toBe("•••••13");
  });

  it("shows the text with each detail masked in place", () => {
    expect(maskDetails(text, details)).toBe(
      "Sat with J••••• W•••••••; his mobile is 04•• ••• •89 and email j•••••••@•••••.com.",
    );
  });

  it("ignores details that do not match the text", () => {
    const stale: IdentifyingDetail = { kind: "name", start: 0, end: 3, text: "Bob" };
    expect(maskDetails("Sat with Tama.", [stale])).toBe("Sat with Tama.");
  });
});

describe("replaceWithInitials", () => {
  it("turns names into initials and other kinds into placeholders", () => {
    const text = "Tama's mum gave me 0412 345 678 and said Jordan Whitaker lives at 3 Wattle Close.";
    expect(replaceWithInitials(text, findIdentifyingDetails(text))).toBe(
      "T.'s mum gave me [phone] and said J.W. lives at [address].",
    );
  });

  it("keeps titles and writes one full stop at the end of a sentence", () => {
    expect(toInitials("Mrs Papadopoulos")).toBe("Mrs P.");
    expect(toInitials("Sarah-Jane")).toBe("S.J.");
    const text = "Caught up with Josh O'Brien.";
    expect(replaceWithInitials(text, findIdentifyingDetails(text))).toBe("Caught up with J.O.");
  });

  it("uses plain placeholders for dates of birth, emails and records", () => {
    const text = "DOB 03/07/1988, email a.b@gmail.com, NHI ZZZ0016.";
    expect(replaceWithInitials(text, findIdentifyingDetails(text))).toBe(
      "DOB [date of birth], email [email], NHI [record number].",
    );
  });
});

describe("describeKind", () => {
  it("has human words for every kind", () => {
    expect(describeKind("name")).toBe("a name");
    expect(describeKind("phone")).toBe("a phone number");
    expect(describeKind("email")).toBe("an email address");
    expect(describeKind("address")).toBe("a street address");
    expect(describeKind("birthdate")).toBe("a date of birth");
    expect(describeKind("record")).toBe("a record number");
  });
});

describe("robustness", () => {
  it("handles empty and whitespace-only text", () => {
    expect(findIdentifyingDetails("")).toEqual([]);
    expect(findIdentifyingDetails("   \n\t ")).toEqual([]);
    expect(maskDetails("", [])).toBe("");
    expect(replaceWithInitials("", [])).toBe("");
  });

  it("handles emoji and other scripts", () => {
    const text = "Today was hard 😔🙏🏽\nSat with Moana for ages. 好的 ✨ kia ora";
    const details = findIdentifyingDetails(text);
    expect(details.map((d) => d.text)).toEqual(["Moana"]);
    expect(maskDetails(text, details)).toContain("M••••");
  });

  it("handles long and pathological text quickly", () => {
    const long = "Sat with Tama at lunch and we talked about the week. ".repeat(300);
    const t0 = performance.now();
    const details = findIdentifyingDetails(long);
    expect(details.length).toBe(300);
    expect(() => findIdentifyingDetails("a".repeat(50_000))).not.toThrow();
    expect(() => findIdentifyingDetails(`${"1 ".repeat(5_000)}@.`)).not.toThrow();
    expect(() => findIdentifyingDetails("a.".repeat(10_000))).not.toThrow();
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it("is deterministic", () => {
    const text = "Mr and Mrs Patel came with Hemi; call 021 123 4567.";
    expect(findIdentifyingDetails(text)).toEqual(findIdentifyingDetails(text));
  });
});
