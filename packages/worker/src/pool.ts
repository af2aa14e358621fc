import { ENVELOPE, isEnvelope, type CallMessage, type ReplyMessage } from './protocol.ts';
import { runCall, valuesToSend } from './call.ts';
import { assertCloneable, type Reply, toReply } from './connect.ts';

/**
 * Wraps `payload` with the caller's Local values, for a worker pool's `run`
 * (piscina, tinypool, workerpool): `unwrap(await pool.run(carry(task)))`.
 * Throws a TypeError naming the Local value that cannot be cloned, before
 * anything is sent.
 */
export function carry(payload: unknown): CallMessage {
  const values = valuesToSend();
  assertCloneable(values);
  return { [ENVELOPE]: 'call', id: 0, values, payload };
}

/**
 * The one wrapper a pool's worker file needs: `export default contextual(fn)`.
 * A carried call runs `fn` with its caller's values in a scope of its own; a
 * plain call (without `carry`) runs `fn` as it is.
 */
export function contextual<P, R>(fn: (payload: P) => R | Promise<R>): (message: unknown) => Promise<unknown> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be the worker's function, got ${typeof fn}.`);
  return async (message: unknown) => {
    if (!isEnvelope(message, 'call')) return fn(message as P);
    const call = message as CallMessage;
    const { result, written } = await runCall(call.values, () => fn(call.payload as P));
    const reply: ReplyMessage =
      written === undefined
        ? { [ENVELOPE]: 'reply', id: call.id, ok: true, result }
        : { [ENVELOPE]: 'reply', id: call.id, ok: true, result, written };
    return reply;
  };
}

/** The result of a carried pool call, with the call's writes for an optional copy-back. */
export function unwrap<R = unknown>(reply: unknown): Reply<R> {
  if (!isEnvelope(reply, 'reply')) {
    throw new TypeError('Expected the result of `pool.run(carry(payload))` from a worker function wrapped with `contextual(fn)`.');
  }
  const message = reply as ReplyMessage;
  return toReply(message.result as R, message.written);
}
