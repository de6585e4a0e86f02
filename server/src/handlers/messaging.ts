/**
 * 1:1 delivery: send (store, then answer, then notify), sync (start pushing the queue) and
 * ack (delete what the client has committed).
 */
import type { ClientFrame, FrameOf } from '../../../shared/protocol';
import { deviceTopic } from '../bus/bus';
import { describeError } from '../log/logger';
import type { Account } from '../storage/storage';
import type { RequestContext } from './context';
import { RelayError } from './relayError';

/**
 * Pipelined: the connection starts its next request as soon as this one has asked storage
 * for its write, so the storage call must come before the first `await`. Storage applies
 * writes in call order, which keeps the connection's sends in order.
 */
export async function handleSend(
  ctx: RequestContext,
  session: Account,
  frame: FrameOf<ClientFrame, 'send'>,
): Promise<void> {
  const { storage, bus, limits, logger, now } = ctx.services;
  if (frame.body.byteLength > limits.maxBodyBytes) {
    throw new RelayError(
      'frame_too_large',
      `message body of ${frame.body.byteLength} bytes exceeds ${limits.maxBodyBytes}`,
    );
  }
  const result = await storage.enqueueEnvelope({
    senderId: session.user.userId,
    msgId: frame.msgId,
    recipientId: frame.to,
    body: frame.body,
    now: now(),
    maxQueueDepth: limits.maxQueueDepth,
    ...(frame.after !== undefined ? { after: frame.after } : {}),
    ...(frame.toKey !== undefined ? { toKey: frame.toKey } : {}),
    ...(frame.purgeAt !== undefined ? { purgeAt: frame.purgeAt } : {}),
  });
  switch (result.status) {
    case 'out_of_order':
      throw new RelayError('out_of_order', `message ${frame.after} is not stored; send it first`);
    case 'unknown_recipient':
      throw new RelayError('not_found', 'no such recipient');
    case 'identity_changed':
      // Stored nothing: a later send naming this one in `after` is refused with out_of_order.
      throw new RelayError('identity_changed', "the recipient's identity key changed; fetch it and encrypt again");
    case 'queue_full':
      throw new RelayError('queue_full', "the recipient's queue is full; try again later");
    case 'duplicate':
      // Already stored (and maybe delivered): answer as the first time, store nothing.
      ctx.reply({ t: 'sent', re: frame.id, msgId: frame.msgId, seq: result.seq, ts: result.ts, duplicate: true });
      return;
    case 'stored':
      // Committed: only now may the sender drop its outbox copy.
      ctx.reply({ t: 'sent', re: frame.id, msgId: frame.msgId, seq: result.seq, ts: result.ts, duplicate: false });
      for (const { deviceId } of result.deliveries) {
        try {
          await bus.publish(deviceTopic(deviceId), { kind: 'envelopes' });
        } catch (error) {
          // The envelope is safe in the queue; the recipient gets it on its next sync or ack.
          logger.warn('could not notify recipient device', { deviceId, error: describeError(error) });
        }
      }
      return;
  }
}

export function handleSync(ctx: RequestContext, frame: FrameOf<ClientFrame, 'sync'>): void {
  ctx.reply({ t: 'ok', re: frame.id });
  ctx.startDelivery();
}

/** Pipelined like handleSend: the storage call comes before the first `await`. */
export async function handleAck(
  ctx: RequestContext,
  session: Account,
  frame: FrameOf<ClientFrame, 'ack'>,
): Promise<void> {
  // Scoped to this device: eids of other devices' queues are never touched. Unknown or
  // already deleted eids are ignored, so repeating an ack is harmless.
  await ctx.services.storage.deleteEnvelopes(session.deviceId, frame.eids);
  ctx.acknowledged(frame.eids);
  ctx.reply({ t: 'ok', re: frame.id });
}
