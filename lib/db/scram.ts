// The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677), PostgreSQL's password exchange, for the
// embedded database's wire server (lib/db/pglite-wire-server.ts). The password never crosses the
// connection, and the client checks the server's signature, so a process that took the port
// first learns nothing it could replay. No channel binding: the wire server speaks no TLS.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

export const SCRAM_MECHANISM = "SCRAM-SHA-256";
const ITERATIONS = 4096;

export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();

/** Derived once per server: what a SCRAM server keeps instead of the password. */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = ITERATIONS): ScramVerifier {
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  return { salt, iterations, storedKey: createHash("sha256").update(hmac(salted, "Client Key")).digest(), serverKey: hmac(salted, "Server Key") };
}

/** Raised for anything but a correct exchange; the connection is then refused. */
export class ScramError extends Error {}

/** One exchange: the client's first message in, the server's first out, then the final pair. */
export class ScramExchange {
  private clientFirstBare = "";
  private serverFirst = "";
  private gs2Header = "";
  private nonce = "";

  constructor(private readonly verifier: ScramVerifier) {}

  /** client-first-message ("n,,n=*,r=<client nonce>") → server-first-message. */
  start(clientFirst: string): string {
    const match = /^([ny]),(?:a=[^,]*)?,(.*)$/s.exec(clientFirst);
    if (!match) throw new ScramError("SCRAM: channel binding is not supported, or the first message is malformed");
    this.gs2Header = clientFirst.slice(0, clientFirst.length - match[2]!.length);
    this.clientFirstBare = match[2]!;
    const clientNonce = /(?:^|,)r=([^,]+)/.exec(this.clientFirstBare)?.[1];
    if (!clientNonce) throw new ScramError("SCRAM: the first message has no nonce");
    this.nonce = clientNonce + randomBytes(18).toString("base64");
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString("base64")},i=${this.verifier.iterations}`;
    return this.serverFirst;
  }

  /** client-final-message ("c=…,r=…,p=<proof>") → server-final-message ("v=<signature>"), or a ScramError. */
  finish(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) throw new ScramError("SCRAM: the final message has no proof");
    const withoutProof = clientFinal.slice(0, proofAt);
    const attributes = new Map(withoutProof.split(",").map((a) => [a.slice(0, 1), a.slice(2)] as const));
    if (attributes.get("r") !== this.nonce) throw new ScramError("SCRAM: nonce mismatch");
    if (attributes.get("c") !== Buffer.from(this.gs2Header).toString("base64")) throw new ScramError("SCRAM: channel binding mismatch");
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.verifier.storedKey, authMessage);
    if (proof.length !== signature.length) throw new ScramError("SCRAM: malformed proof");
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(createHash("sha256").update(clientKey).digest(), this.verifier.storedKey)) throw new ScramError("SCRAM: wrong password");
    return `v=${hmac(this.verifier.serverKey, authMessage).toString("base64")}`;
  }
}
