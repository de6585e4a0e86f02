import { describe, expect, it } from 'vitest';
import { groupMessage, groupView, message } from '../../test-support/fakeBridge';
import { canDeleteForEveryone, isGroupAdmin, quoteAuthor } from './bubbleMessage';

describe('delete for everyone', () => {
  it('in a 1:1 chat: our own text messages only', () => {
    expect(canDeleteForEveryone(message({ fromMe: true }))).toBe(true);
    expect(canDeleteForEveryone(message({ fromMe: false }))).toBe(false);
    expect(canDeleteForEveryone(message({ fromMe: true, kind: 'timer' }))).toBe(false);
  });

  it('in a group: our own; owners and admins also others’; nobody once out of the group', () => {
    const ours = groupMessage({ fromMe: true });
    const theirs = groupMessage({ fromMe: false });
    for (const role of ['owner', 'admin', 'member'] as const) {
      expect(canDeleteForEveryone(ours, groupView({ role }))).toBe(true);
      expect(canDeleteForEveryone(theirs, groupView({ role }))).toBe(role !== 'member');
      expect(canDeleteForEveryone(ours, groupView({ role, status: 'left' }))).toBe(false);
      expect(canDeleteForEveryone(theirs, groupView({ role, status: 'removed' }))).toBe(false);
    }
    expect(canDeleteForEveryone(groupMessage({ fromMe: true, kind: 'timer' }), groupView())).toBe(false);
  });

  it('moderators are active owners and admins', () => {
    expect(isGroupAdmin(groupView({ role: 'owner' }))).toBe(true);
    expect(isGroupAdmin(groupView({ role: 'admin' }))).toBe(true);
    expect(isGroupAdmin(groupView({ role: 'member' }))).toBe(false);
    expect(isGroupAdmin(groupView({ role: 'admin', status: 'removed' }))).toBe(false);
  });
});

describe('quote author', () => {
  const quote = (senderId: string) => ({ id: 'q', senderId, senderName: 'Carol', text: 'hi', missing: false });

  it('in a 1:1 chat: "You" for ours, the peer otherwise', () => {
    expect(
      quoteAuthor(message({ fromMe: true, senderId: 'me', replyTo: quote('me') }), { peerName: 'Bob' }, 'You'),
    ).toBe('You');
    expect(
      quoteAuthor(message({ fromMe: true, senderId: 'me', replyTo: quote('bob') }), { peerName: 'Bob' }, 'You'),
    ).toBe('Bob');
    expect(
      quoteAuthor(message({ fromMe: false, senderId: 'bob', replyTo: quote('me') }), { peerName: 'Bob' }, 'You'),
    ).toBe('You');
    expect(quoteAuthor(message({}), { peerName: 'Bob' }, 'You')).toBe('');
  });

  it('in a group: "You" for ours, the quoted sender’s name otherwise', () => {
    expect(quoteAuthor(groupMessage({ replyTo: quote('me') }), { myUserId: 'me' }, 'You')).toBe('You');
    expect(quoteAuthor(groupMessage({ replyTo: quote('carol') }), { myUserId: 'me' }, 'You')).toBe('Carol');
    expect(quoteAuthor(groupMessage({ replyTo: { id: 'q', missing: true } }), { myUserId: 'me' }, 'You')).toBe('');
  });
});
