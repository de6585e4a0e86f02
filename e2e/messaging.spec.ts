import { expect, test } from './fixtures';
import { messageLog, openChat, send, signUp, startChatWith } from './app';

test('two people sign up, find each other by @username and talk both ways', async ({ launchClient }) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice Liddell');
  await signUp(bob.page, 'bob', 'Bob Builder');

  await startChatWith(alice.page, 'bob', 'Bob Builder');
  await expect(alice.page.getByText('End-to-end encrypted')).toBeVisible();
  await send(alice.page, 'Hi Bob! 👋');
  await expect(messageLog(alice.page).getByText('Hi Bob! 👋')).toBeVisible();

  // Bob sees a new chat with an unread message, opens it and reads it.
  const bobChats = bob.page.getByRole('navigation', { name: 'Chats' });
  await expect(bobChats.getByRole('button', { name: /^Alice Liddell/ })).toBeVisible();
  await expect(bobChats.getByLabel('1 unread')).toBeVisible();
  await openChat(bob.page, 'Alice Liddell');
  await expect(messageLog(bob.page).getByText('Hi Bob! 👋')).toBeVisible();
  await expect(bobChats.getByLabel('1 unread')).toHaveCount(0);

  // Alice's tick goes all the way to "Read" once Bob has the chat open.
  await expect(messageLog(alice.page).getByRole('img', { name: 'Read' })).toBeVisible();

  // Bob answers; Shift+Enter makes a newline, Enter sends.
  const composer = bob.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Hello Alice.');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('Two lines.');
  await expect(composer).toHaveValue('Hello Alice.\nTwo lines.');
  await composer.press('Enter');
  await expect(messageLog(alice.page).getByText(/Hello Alice\.\s+Two lines\./)).toBeVisible();
});

test('a message sent while the recipient is offline arrives when they come back', async ({ launchClient }) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice');
  await signUp(bob.page, 'bob', 'Bob');
  await startChatWith(alice.page, 'bob', 'Bob');
  await send(alice.page, 'first, while you are here');
  await expect(
    bob.page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /^Alice/ }),
  ).toBeVisible();

  await bob.close();
  await send(alice.page, 'second, while you are away');
  await send(alice.page, 'third, still away');
  // Relay has them: "Sent", but not delivered while Bob is offline.
  await expect(messageLog(alice.page).getByRole('img', { name: 'Sent' })).toHaveCount(2);

  await bob.reopen();
  await openChat(bob.page, 'Alice');
  const log = messageLog(bob.page);
  await expect(log.getByText('third, still away')).toBeVisible();
  // In order, each exactly once.
  const texts = await log.getByText(/first|second|third/).allTextContents();
  expect(texts).toEqual(['first, while you are here', 'second, while you are away', 'third, still away']);
  await expect(messageLog(alice.page).getByRole('img', { name: 'Read' })).toHaveCount(3);
});

test('history survives a reload and a restart of the app', async ({ launchClient }) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice');
  await signUp(bob.page, 'bob', 'Bob');
  await startChatWith(alice.page, 'bob', 'Bob');
  for (const text of ['one', 'two', 'three']) await send(alice.page, text);
  await expect(messageLog(alice.page).getByRole('img', { name: /Sent|Delivered/ })).toHaveCount(3);

  await alice.page.reload();
  await openChat(alice.page, 'Bob');
  await expect(messageLog(alice.page).getByText('three')).toBeVisible();

  await alice.reopen();
  await expect(alice.page.getByRole('navigation', { name: 'Chats' })).toBeVisible();
  await openChat(alice.page, 'Bob');
  for (const text of ['one', 'two', 'three']) {
    await expect(messageLog(alice.page).getByText(text, { exact: true })).toBeVisible();
  }
});
