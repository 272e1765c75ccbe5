import { describe, expect, it } from "vitest";
import { NewPassword } from "@/lib/auth/credential-schemas";
import { SignUpInput, TenantName } from "./schemas";

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message) ?? [];

describe("sign-up validation", () => {
  it("normalizes email and tenant name", () => {
    expect(SignUpInput.parse({ email: " Me@Example.COM ", password: "long-enough-1", tenant: " My-Team " })).toEqual({
      email: "me@example.com",
      password: "long-enough-1",
      tenant: "my-team",
    });
  });

  it.each([
    ["ab", "at least 3 characters"],
    ["1abc", "must start with a letter"],
    ["abc-", "not end with a dash"],
    ["a--b", "two dashes"],
    ["has space", "lowercase letters, digits and dashes"],
    ["admin", "reserved"],
    ["x".repeat(33), "at most 32"],
  ])("refuses tenant name %j with a message that says why", (name, why) => {
    expect(messages(TenantName.safeParse(name)).join(" ")).toContain(why);
  });

  it.each([
    ["short1", "at least 10 characters"],
    ["onlyletterslong", "mix letters with digits or symbols"],
    ["1234567890", "mix letters"],
    ["Password123", "too common"],
  ])("refuses password %j", (password, why) => {
    expect(messages(NewPassword.safeParse(password)).join(" ")).toContain(why);
  });

  it("refuses a password equal to the email", () => {
    const r = SignUpInput.safeParse({ email: "long-mail1@x.io", password: "long-mail1@x.io", tenant: "abc" });
    expect(messages(r)).toContain("Password must not be your email");
  });

  it("says what a valid email looks like", () => {
    expect(messages(SignUpInput.safeParse({ email: "nope", password: "long-enough-1", tenant: "abc" }))).toContain(
      "Enter a valid email address, like you@example.com",
    );
  });
});
