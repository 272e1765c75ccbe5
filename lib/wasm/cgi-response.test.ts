import { describe, expect, it } from "vitest";
import { CgiError, parseCgiResponse } from "./cgi-response";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("parseCgiResponse", () => {
  it("parses LF headers, a blank line and the body", () => {
    const r = parseCgiResponse(bytes("Content-Type: text/plain\nX-Extra:  yes \n\nhello\n\nworld"));
    expect(r.status).toBe(200);
    expect(r.headers).toEqual([["content-type", "text/plain"], ["x-extra", "yes"]]);
    expect(text(r.body)).toBe("hello\n\nworld");
  });

  it("parses CRLF output", () => {
    const r = parseCgiResponse(bytes("content-type: text/html\r\nstatus: 201 Created\r\n\r\n<p>ok</p>\r\n"));
    expect(r.status).toBe(201);
    expect(r.headers).toEqual([["content-type", "text/html"]]);
    expect(text(r.body)).toBe("<p>ok</p>\r\n");
  });

  it("takes the code from Status with or without a reason phrase", () => {
    expect(parseCgiResponse(bytes("Status: 404 Not Found\nContent-Type: text/plain\n\nmissing")).status).toBe(404);
    expect(parseCgiResponse(bytes("Status: 418\nContent-Type: text/plain\n\n")).status).toBe(418);
  });

  it("turns a Location without Status into a 302, and keeps an explicit Status", () => {
    const redirect = parseCgiResponse(bytes("Location: /elsewhere\n\n"));
    expect(redirect.status).toBe(302);
    expect(redirect.headers).toEqual([["location", "/elsewhere"]]);
    expect(parseCgiResponse(bytes("Status: 301 Moved\nLocation: /x\n\n")).status).toBe(301);
  });

  it("accepts headers with no blank line as an empty body", () => {
    const r = parseCgiResponse(bytes("Content-Type: text/plain\n"));
    expect(r.body.length).toBe(0);
  });

  it("keeps binary bodies byte for byte", () => {
    const out = new Uint8Array([...bytes("Content-Type: application/octet-stream\n\n"), 0, 255, 10, 10, 13]);
    expect([...parseCgiResponse(out).body]).toEqual([0, 255, 10, 10, 13]);
  });

  it("rejects output without Content-Type or Location", () => {
    expect(() => parseCgiResponse(bytes("X-Only: 1\n\nbody"))).toThrow(/missing Content-Type/);
    expect(() => parseCgiResponse(bytes("\nbody without headers"))).toThrow(CgiError);
  });

  it("rejects empty output, prose instead of headers and a bad Status", () => {
    expect(() => parseCgiResponse(new Uint8Array(0))).toThrow(/wrote nothing/);
    expect(() => parseCgiResponse(bytes("hello world\n"))).toThrow(/malformed header on line 1.*no blank line/);
    expect(() => parseCgiResponse(bytes("Status: teapot\nContent-Type: text/plain\n\n"))).toThrow(/invalid Status/);
  });
});

describe("control characters in header values", () => {
  it("refuses a value holding a lone CR or a NUL (found by fuzzing: seed 1241321397)", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(() => parseCgiResponse(bytes("Content-Type: text/plain\r\0"))).toThrow(/control character/);
    expect(() => parseCgiResponse(bytes("Content-Type: text/plain\nX-A: a\rb\n\nbody"))).toThrow(CgiError);
    expect(parseCgiResponse(bytes("Content-Type: text/plain\nX-A: a\tb\n\nbody")).headers).toContainEqual(["x-a", "a\tb"]);
  });
});
