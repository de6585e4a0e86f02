/**
 * A scripted stand-in for the relay connection in unit tests of the services. Each request
 * is recorded; `answer` decides the reply (default: `sent` with increasing seqs, `user`
 * from `users`). Like the relay, it refuses a send whose `after` it has not stored with
 * `out_of_order`, before consulting the script.
 */
import type { PublicUser } from '../../../shared/protocol';
import type { RelayRequest, RelayResponse } from '../relay/frames';
import type { RelayLink } from '../relay/link';
import { RelayError } from '../relay/relayError';

export type SendRequest = Extract<RelayRequest, { t: 'send' }>;

export class FakeLink implements RelayLink {
  online = true;
  readonly requests: RelayRequest[] = [];
  readonly users = new Map<string, PublicUser>();
  private seq = 0;
  /** msgIds answered with `sent` (the relay's de-duplication records). */
  readonly stored = new Set<string>();
  /** Override to script answers to `send`; throw a RelayError to refuse. */
  answerSend: (frame: SendRequest) => Promise<RelayResponse<'send'>> | RelayResponse<'send'> = (frame) =>
    this.sent(frame);

  isOnline(): boolean {
    return this.online;
  }

  get sends(): SendRequest[] {
    return this.requests.filter((r): r is SendRequest => r.t === 'send');
  }

  sent(frame: SendRequest, duplicate = false): RelayResponse<'send'> {
    this.stored.add(frame.msgId);
    return { t: 'sent', re: 0, msgId: frame.msgId, seq: ++this.seq, ts: 1_000 + this.seq, duplicate };
  }

  async request<F extends RelayRequest>(frame: F): Promise<RelayResponse<F['t']>> {
    if (!this.online) throw new RelayError('disconnected', 'not connected to the relay');
    this.requests.push(frame);
    switch (frame.t) {
      case 'send': {
        const send = frame as SendRequest;
        if (send.after !== undefined && !this.stored.has(send.after)) {
          throw new RelayError('out_of_order', `message ${send.after} is not stored; send it first`);
        }
        return (await this.answerSend(send)) as RelayResponse<F['t']>;
      }
      case 'lookup': {
        const user = frame.userId === undefined ? undefined : this.users.get(frame.userId);
        if (!user) throw new RelayError('not_found', 'no such user');
        return { t: 'user', re: 0, user } as RelayResponse<F['t']>;
      }
      default:
        throw new Error(`FakeLink does not script ${frame.t}`);
    }
  }
}
