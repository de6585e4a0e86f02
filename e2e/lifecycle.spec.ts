/**
 * The message lifecycle between two real clients: a 5-second self-destruct timer (both
 * sides see the message vanish), and reply, edit, delete for everyone, reactions and read
 * receipts going both ways.
 */
import { expect, test } from './fixtures';
import { messageLog, messageRow, openChat, send, signUp, startChatWith } from './app';
import type { Page } from '@playwright/test';

/** The row of the chat message with this text, not a reply quoting it. */
const chatRow = (page: Page, text: string) => messageRow(messageLog(page), text);

async function twoPeopleTalking(launchClient: (name: string) => Promise<{ page: Page }>) {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice');
  await signUp(bob.page, 'bob', 'Bob');
  await startChatWith(alice.page, 'bob', 'Bob');
  await send(alice.page, 'hello there');
  await expect(
    bob.page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /^Alice/ }),
  ).toBeVisible();
  await openChat(bob.page, 'Alice');
  await expect(messageLog(bob.page).getByText('hello there')).toBeVisible();
  return { alice, bob };
}

test('a 5 second timer: the recipient sees the message, then it vanishes on both sides', async ({ launchClient }) => {
  const { alice, bob } = await twoPeopleTalking(launchClient);

  await alice.page.getByRole('combobox', { name: 'Self-destruct timer' }).selectOption({ label: '5 seconds' });
  await expect(messageLog(alice.page).getByText('You set messages to disappear after 5 seconds.')).toBeVisible();
  await expect(messageLog(bob.page).getByText('Alice set messages to disappear after 5 seconds.')).toBeVisible();
  await expect(bob.page.getByRole('combobox', { name: 'Self-destruct timer' })).toHaveValue('5');

  await send(alice.page, 'this message will self-destruct');
  const atBob = messageLog(bob.page).getByText('this message will self-destruct');
  await expect(atBob).toBeVisible();
  // Bob has the chat open: it counts as seen, the countdown runs, then it is gone everywhere.
  await expect(atBob).toHaveCount(0, { timeout: 30_000 });
  await expect(messageLog(alice.page).getByText('this message will self-destruct')).toHaveCount(0, {
    timeout: 30_000,
  });
  // The older, untimed message stays.
  await expect(messageLog(bob.page).getByText('hello there')).toBeVisible();

  // Timer off again: announced on both sides.
  await bob.page.getByRole('combobox', { name: 'Self-destruct timer' }).selectOption({ label: 'Off' });
  await expect(messageLog(alice.page).getByText('Bob turned off disappearing messages.')).toBeVisible();
});

test('reply, edit, delete for everyone, reactions and read receipts round-trip', async ({ launchClient }) => {
  const { alice, bob } = await twoPeopleTalking(launchClient);
  // Read receipt: Bob has the chat open, Alice's tick turns to "Read".
  await expect(messageLog(alice.page).getByRole('img', { name: 'Read' })).toBeVisible();

  // Bob replies to Alice's message from its context menu.
  await messageLog(bob.page).getByText('hello there').click({ button: 'right' });
  await bob.page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Reply' }).click();
  await expect(bob.page.getByText('Replying to Alice')).toBeVisible();
  await send(bob.page, 'a reply to you');
  const replyAtAlice = messageLog(alice.page).locator('[data-message-id]').filter({ hasText: 'a reply to you' });
  await expect(replyAtAlice).toBeVisible();
  const quote = replyAtAlice.getByRole('button', { name: 'Go to the quoted message from You' });
  await expect(quote).toContainText('hello there');
  await quote.click();

  // Alice edits her message with the ⋯ button; Bob sees the new text, marked edited.
  await chatRow(alice.page, 'hello there').getByRole('button', { name: 'Message actions' }).click();
  await alice.page.getByRole('menuitem', { name: 'Edit' }).click();
  await expect(alice.page.getByText('Editing message')).toBeVisible();
  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await expect(composer).toHaveValue('hello there');
  await composer.fill('hello there, edited');
  await composer.press('Enter');
  const editedAtBob = chatRow(bob.page, 'hello there, edited');
  await expect(editedAtBob).toBeVisible();
  await expect(editedAtBob.getByText('edited', { exact: true })).toBeVisible();

  // Bob reacts; Alice sees the reaction and adds the same one.
  await editedAtBob.getByRole('button', { name: 'Message actions' }).click();
  await bob.page.getByRole('menuitem', { name: 'React with 👍' }).click();
  const chipAtAlice = chatRow(alice.page, 'hello there, edited').getByRole('button', { name: /^👍 1/ });
  await expect(chipAtAlice).toBeVisible();
  await chipAtAlice.click();
  await expect(chatRow(bob.page, 'hello there, edited').getByRole('button', { name: /^👍 2/ })).toBeVisible();

  // Alice deletes a message for everyone.
  await send(alice.page, 'sent by mistake');
  await expect(messageLog(bob.page).getByText('sent by mistake')).toBeVisible();
  await chatRow(alice.page, 'sent by mistake').getByRole('button', { name: 'Message actions' }).click();
  await alice.page.getByRole('menuitem', { name: 'Delete…' }).click();
  const dialog = alice.page.getByRole('alertdialog', { name: 'Delete message?' });
  await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
  await expect(messageLog(alice.page).getByText('sent by mistake')).toHaveCount(0);
  await expect(messageLog(bob.page).getByText('sent by mistake')).toHaveCount(0);
});

test('drafts survive a restart and typing shows in the header', async ({ launchClient }) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice');
  await signUp(bob.page, 'bob', 'Bob');
  await startChatWith(alice.page, 'bob', 'Bob');
  await send(alice.page, 'hi');
  await openChat(bob.page, 'Alice');
  await send(bob.page, 'hi back');
  await expect(messageLog(alice.page).getByText('hi back')).toBeVisible();

  await alice.page.getByRole('textbox', { name: 'Message' }).pressSequentially('an unfinished thought');
  await expect(bob.page.getByText('typing…')).toBeVisible();
  // Saved after a short pause; then the app restarts.
  await alice.page.waitForTimeout(1_000);
  await alice.reopen();
  const chats = alice.page.getByRole('navigation', { name: 'Chats' });
  await expect(chats.getByRole('button', { name: /^Bob/ })).toContainText('Draft:');
  await openChat(alice.page, 'Bob');
  await expect(alice.page.getByRole('textbox', { name: 'Message' })).toHaveValue('an unfinished thought');
});
