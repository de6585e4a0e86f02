/**
 * The message lifecycle in a private group, between three real clients: the owner's
 * 5-second self-destruct timer (the message vanishes for everyone), then reply, edit,
 * reactions, typing and delete for everyone going across; the timer picker and deleting
 * others' messages reserved for owners and admins; forwarding from the group to a chat.
 */
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createGroup, groupLog, messageLog, messageRow, openChat, openGroup, say, signUp, startChatWith } from './app';
import { repoRoot } from './processes';

/** The row of the group line with this text, not a reply quoting it. */
const groupRow = (page: Page, text: string) => messageRow(groupLog(page), text);

const timerPicker = (page: Page) => page.getByRole('combobox', { name: 'Self-destruct timer' });

async function openMenu(page: Page, text: string): Promise<void> {
  await groupRow(page, text).getByRole('button', { name: 'Message actions' }).click();
  await expect(page.getByRole('menu', { name: 'Message actions' })).toBeVisible();
}

test('group lifecycle: owner’s timer, reply, edit, reaction, typing, delete for everyone', async ({ launchClient }) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  const carol = await launchClient('carol');
  await signUp(alice.page, 'alice', 'Alice Adams');
  await signUp(bob.page, 'bob', 'Bob Brown');
  await signUp(carol.page, 'carol', 'Carol Clark');

  await createGroup(alice.page, 'Book club', [
    { username: 'bob', displayName: 'Bob Brown' },
    { username: 'carol', displayName: 'Carol Clark' },
  ]);
  await say(alice.page, 'Welcome to the book club');
  await openGroup(bob.page, 'Book club');
  await expect(groupLog(bob.page).getByText('Welcome to the book club')).toBeVisible();
  await openGroup(carol.page, 'Book club');
  await expect(groupLog(carol.page).getByText('Welcome to the book club')).toBeVisible();

  // Only owners and admins pick the timer.
  await expect(timerPicker(alice.page)).toHaveValue('0');
  await expect(timerPicker(bob.page)).toHaveCount(0);

  // The owner sets 5 seconds: announced on both sides; Bob sees the timer, read-only.
  await timerPicker(alice.page).selectOption({ label: '5 seconds' });
  await expect(groupLog(alice.page).getByText('You set messages to disappear after 5 seconds.')).toBeVisible();
  await expect(groupLog(bob.page).getByText('Alice Adams set messages to disappear after 5 seconds.')).toBeVisible();
  // The chat list shows the change as the group's last line.
  await expect(bob.page.getByRole('button', { name: /Book club/ })).toContainText(
    'Alice Adams set messages to disappear after 5 seconds',
  );
  await expect(bob.page.getByTitle(/^New messages disappear after 5 seconds/)).toBeVisible();
  await expect(timerPicker(bob.page)).toHaveCount(0);

  // A timed message: Bob and Carol (group open) see it, then it is gone for everyone.
  await say(alice.page, 'this message will self-destruct');
  for (const page of [bob.page, carol.page]) {
    await expect(groupLog(page).getByText('this message will self-destruct')).toBeVisible();
  }
  for (const page of [bob.page, carol.page, alice.page]) {
    await expect(groupLog(page).getByText('this message will self-destruct')).toHaveCount(0, { timeout: 30_000 });
  }
  await expect(groupLog(bob.page).getByText('Welcome to the book club')).toBeVisible();

  // Timer off again.
  await timerPicker(alice.page).selectOption({ label: 'Off' });
  await expect(groupLog(bob.page).getByText('Alice Adams turned off disappearing messages.')).toBeVisible();
  await expect(bob.page.getByTitle(/^New messages disappear/)).toHaveCount(0);

  // Bob replies to Alice's message (right-click menu); Alice sees him typing, then the quote.
  await groupLog(bob.page).getByText('Welcome to the book club').click({ button: 'right' });
  await bob.page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Reply' }).click();
  await expect(bob.page.getByText('Replying to Alice Adams')).toBeVisible();
  await bob.page.getByRole('textbox', { name: 'Message' }).pressSequentially('Thanks');
  await expect(alice.page.getByText('Bob Brown is typing…')).toBeVisible();
  await say(bob.page, 'Thanks for having me');
  const replyAtAlice = groupLog(alice.page).locator('[data-message-id]').filter({ hasText: 'Thanks for having me' });
  await expect(replyAtAlice).toBeVisible();
  await expect(alice.page.getByText('Bob Brown is typing…')).toHaveCount(0);
  const quote = replyAtAlice.getByRole('button', { name: 'Go to the quoted message from You' });
  await expect(quote).toContainText('Welcome to the book club');
  await quote.click();

  // Alice edits her message; Bob sees the new text, marked edited.
  await openMenu(alice.page, 'Welcome to the book club');
  await alice.page.getByRole('menuitem', { name: 'Edit' }).click();
  await expect(alice.page.getByText('Editing message')).toBeVisible();
  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await expect(composer).toHaveValue('Welcome to the book club');
  await composer.fill('Welcome, readers!');
  await composer.press('Enter');
  const editedAtBob = groupRow(bob.page, 'Welcome, readers!');
  await expect(editedAtBob).toBeVisible();
  await expect(editedAtBob.getByText('edited', { exact: true })).toBeVisible();
  // Bob's quote of it follows the edit.
  await expect(
    groupLog(bob.page).getByRole('button', { name: 'Go to the quoted message from Alice Adams' }),
  ).toContainText('Welcome, readers!');

  // Bob reacts; Alice sees the chip and adds the same reaction.
  await openMenu(bob.page, 'Welcome, readers!');
  await bob.page.getByRole('menuitem', { name: 'React with 👍' }).click();
  const chipAtAlice = groupRow(alice.page, 'Welcome, readers!').getByRole('button', { name: /^👍 1/ });
  await expect(chipAtAlice).toBeVisible();
  await chipAtAlice.click();
  await expect(groupRow(bob.page, 'Welcome, readers!').getByRole('button', { name: /^👍 2/ })).toBeVisible();
  // Both members have the group open: Alice's message shows read by both (receipts go 1:1).
  await expect(groupRow(alice.page, 'Welcome, readers!').getByRole('img', { name: 'Read by 2 members' })).toBeVisible();

  // Alice (the owner) deletes a message for everyone.
  await say(alice.page, 'sent by mistake');
  await expect(groupLog(bob.page).getByText('sent by mistake')).toBeVisible();
  await openMenu(alice.page, 'sent by mistake');
  await alice.page.getByRole('menuitem', { name: 'Delete…' }).click();
  const dialog = alice.page.getByRole('alertdialog', { name: 'Delete message?' });
  await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
  await expect(groupLog(alice.page).getByText('sent by mistake')).toHaveCount(0);
  await expect(groupLog(bob.page).getByText('sent by mistake')).toHaveCount(0);

  // A member deletes someone else's message for themselves only.
  await openMenu(bob.page, 'Welcome, readers!');
  await bob.page.getByRole('menuitem', { name: 'Delete…' }).click();
  const bobDialog = bob.page.getByRole('alertdialog', { name: 'Delete message?' });
  await expect(bobDialog.getByRole('button', { name: 'Delete for me' })).toBeVisible();
  await expect(bobDialog.getByRole('button', { name: 'Delete for everyone' })).toHaveCount(0);
  await bobDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(bobDialog).toHaveCount(0);

  // Made an admin, Carol gets the timer picker and moderates: she deletes Bob's message for everyone.
  await alice.page.getByRole('button', { name: 'Members', exact: true }).click();
  await alice.page
    .getByRole('complementary', { name: 'Members' })
    .getByRole('button', { name: 'Make Carol Clark an admin' })
    .click();
  await expect(timerPicker(carol.page)).toBeVisible();
  await alice.page.getByRole('button', { name: 'Close member list' }).click();
  await say(bob.page, 'an off-topic link');
  await expect(groupLog(carol.page).getByText('an off-topic link')).toBeVisible();
  await openMenu(carol.page, 'an off-topic link');
  await carol.page.getByRole('menuitem', { name: 'Delete…' }).click();
  await carol.page
    .getByRole('alertdialog', { name: 'Delete message?' })
    .getByRole('button', { name: 'Delete for everyone' })
    .click();
  for (const page of [carol.page, bob.page, alice.page]) {
    await expect(groupLog(page).getByText('an off-topic link')).toHaveCount(0);
  }

  // Carol forwards Bob's reply from the group to her chat with Alice: it arrives marked forwarded.
  await startChatWith(carol.page, 'alice', 'Alice Adams');
  await openGroup(carol.page, 'Book club');
  await groupLog(carol.page).getByText('Thanks for having me').click({ button: 'right' });
  await carol.page.getByRole('menuitem', { name: 'Forward' }).click();
  await carol.page
    .getByRole('dialog', { name: 'Forward to…' })
    .getByRole('button', { name: 'Forward to Alice Adams' })
    .click();
  const forwarded = messageLog(carol.page).locator('[data-message-id]').filter({ hasText: 'Thanks for having me' });
  await expect(forwarded.getByText('Forwarded', { exact: true })).toBeVisible();
  await openChat(alice.page, 'Carol Clark');
  await expect(
    messageLog(alice.page)
      .locator('[data-message-id]')
      .filter({ hasText: 'Thanks for having me' })
      .getByText('Forwarded', { exact: true }),
  ).toBeVisible();
  await openGroup(alice.page, 'Book club');

  if (process.env.PARLEY_SCREENSHOTS) {
    // A running countdown beside the reply, the edit and the reaction.
    await timerPicker(alice.page).selectOption({ label: '5 minutes' });
    await say(alice.page, 'Chapter 3 notes are in the shared folder');
    await expect(groupRow(alice.page, 'Chapter 3 notes').getByRole('timer')).toBeVisible();
    await alice.page.setViewportSize({ width: 1100, height: 720 });
    await alice.page.screenshot({ path: join(repoRoot, 'docs/screenshot-group-lifecycle.png') });
    await bob.page.setViewportSize({ width: 1100, height: 720 });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await openMenu(bob.page, 'Chapter 3 notes');
    await expect(bob.page.getByRole('menuitem', { name: 'Forward' })).toHaveCount(0);
    await bob.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-group-lifecycle-bob-dark.png') });
    await carol.page.setViewportSize({ width: 1100, height: 720 });
    await carol.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-forwarded-chat.png') });
  }
});

test('group composer: Up edits our last message, Esc cancels, a draft survives a restart', async ({ launchClient }) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice Adams');
  await signUp(bob.page, 'bob', 'Bob Brown');
  await createGroup(alice.page, 'Book club', [{ username: 'bob', displayName: 'Bob Brown' }]);
  await say(alice.page, 'first thought');

  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await composer.press('ArrowUp');
  await expect(alice.page.getByText('Editing message')).toBeVisible();
  await expect(composer).toHaveValue('first thought');
  await composer.press('Escape');
  await expect(alice.page.getByText('Editing message')).toHaveCount(0);
  await expect(composer).toHaveValue('');

  await composer.pressSequentially('an unfinished group thought');
  // Leaving the group saves the draft at once; the list shows it.
  await startChatWith(alice.page, 'bob', 'Bob Brown');
  const groupItem = () =>
    alice.page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /Book club/ });
  await expect(groupItem()).toContainText('Draft: an unfinished group thought');
  // After a reload the draft comes from the core; then it survives a restart too.
  await alice.page.reload();
  await expect(groupItem()).toContainText('Draft: an unfinished group thought');
  await alice.reopen();
  await expect(groupItem()).toContainText('Draft: an unfinished group thought');
  await openGroup(alice.page, 'Book club');
  await expect(alice.page.getByRole('textbox', { name: 'Message' })).toHaveValue('an unfinished group thought');
});
