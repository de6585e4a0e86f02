import { describe, expect, it } from 'vitest';
import { groupView, directChat } from '../test-support/fakeBridge';
import { forwardTargets } from '../components/lifecycle/forwardTargets';
import { forwardRoute } from './forwardRoute';

describe('forwarding', () => {
  it('uses messages.forward between chats and groups.forward whenever a group is involved', () => {
    expect(forwardRoute({ chatId: 'dm:a' }, 'm', { chatId: 'dm:b' })).toEqual({
      name: 'messages.forward',
      input: { chatId: 'dm:a', messageId: 'm', toChatId: 'dm:b' },
    });
    expect(forwardRoute({ chatId: 'dm:a' }, 'm', { groupId: 'g_x' })).toEqual({
      name: 'groups.forward',
      input: { fromChatId: 'dm:a', messageId: 'm', toGroupId: 'g_x' },
    });
    expect(forwardRoute({ groupId: 'g_x' }, 'm', { chatId: 'dm:b' })).toEqual({
      name: 'groups.forward',
      input: { fromGroupId: 'g_x', messageId: 'm', toChatId: 'dm:b' },
    });
    expect(forwardRoute({ groupId: 'g_x' }, 'm', { groupId: 'g_y' })).toEqual({
      name: 'groups.forward',
      input: { fromGroupId: 'g_x', messageId: 'm', toGroupId: 'g_y' },
    });
  });

  it('offers chats and the groups we are in, most recent first', () => {
    const chats = { 'dm:bob': directChat({ updatedAt: 20 }) };
    const groups = {
      g_a: groupView({ id: 'g_a', name: 'A', updatedAt: 30 }),
      g_b: groupView({ id: 'g_b', name: 'B', updatedAt: 10 }),
      g_left: groupView({ id: 'g_left', name: 'Left', updatedAt: 40, status: 'left' }),
    };
    expect(forwardTargets(chats, groups).map((t) => [t.name, t.ref])).toEqual([
      ['A', { groupId: 'g_a' }],
      ['Bob', { chatId: 'dm:bob' }],
      ['B', { groupId: 'g_b' }],
    ]);
  });
});
