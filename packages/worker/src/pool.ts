import { keepThreadValues, runCall, valuesToSend } from './call.ts';
import { assertCloneable, type Reply, replyOf } from './connect.ts';
import { CALL, type CallMessage, ENVELOPE, kindOf, REPLY, type ReplyMessage } from './protocol.ts';

/**
 * Wraps `payload` with the caller's Local values, for a worker pool's `run`
 * (piscina, tinypool, workerpool): `unwrap(await pool.run(carry(task)))`.
 * Throws a TypeError naming the Local value that cannot be cloned, before
 * anything is sent.
 */
export function carry(payload: unknown): CallMessage {
  const values = valuesToSend();
  if (values === undefined) return [ENVELOPE, CALL, 0, payload];
  assertCloneable(values);
  return [ENVELOPE, CALL, 0, payload, values];
}

/**
 * The one wrapper a pool's worker file needs: `export default contextual(fn)`.
 * A carried call runs `fn` with its caller's values in a scope of its own; a
 * plain call (without `carry`) runs `fn` as it is.
 */
export function contextual<P, R>(fn: (payload: P) => R | Promise<R>): (message: unknown) => Promise<unknown> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be the worker's function, got ${typeof fn}.`);
  keepThreadValues();
  return async (message: unknown) => {
    if (kindOf(message) !== CALL) return fn(message as P);
    const [, , id, payload, values] = message as CallMessage;
    const { result, written } = await runCall(values, () => fn(payload as P));
    const reply: ReplyMessage = written === undefined ? [ENVELOPE, REPLY, id, result] : [ENVELOPE, REPLY, id, result, written];
    return reply;
  };
}

/** The result of a carried pool call, with the call's writes for an optional copy-back. */
export function unwrap<R = unknown>(reply: unknown): Reply<R> {
  if (kindOf(reply) !== REPLY) {
    throw new TypeError('Expected the result of `pool.run(carry(payload))` from a worker function wrapped with `contextual(fn)`.');
  }
  return replyOf<R>(reply as ReplyMessage);
}
