/** The body step: the request body, counted on the stream against the app's limit. */
import { BodyTooLarge, readBodyWithLimit } from "../read-body";
import { failed, type RequestContext, type Stop } from "./context";

export async function readRequestBody(ctx: RequestContext, maxBytes: number): Promise<Uint8Array | Stop> {
  try {
    const body = await readBodyWithLimit(ctx.req, maxBytes);
    ctx.log.bytesIn = body.byteLength;
    return body;
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      // The rest of the body is not read: the socket closes once the 413 is out.
      ctx.res.once("finish", () => ctx.req.socket.destroySoon?.());
      return failed({ kind: "body-too-large", limit: maxBytes });
    }
    // The client went away mid-body: nothing to answer.
    ctx.res.destroy();
    return { stop: "unrecorded" };
  }
}
