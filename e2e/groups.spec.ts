import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createGroup, groupLog as messages, messageRow, openGroup, say, send, signUp } from './app';
import { repoRoot } from './processes';

test('a private group: created with two members, talk, one removed stops receiving and sees why', async ({
  launchClient,
}) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  const carol = await launchClient('carol');
  await signUp(alice.page, 'alice', 'Alice Adams');
  await signUp(bob.page, 'bob', 'Bob Brown');
  await signUp(carol.page, 'carol', 'Carol Clark');

  await createGroup(alice.page, 'Weekend plans', [
    { username: 'bob', displayName: 'Bob Brown' },
    { username: 'carol', displayName: 'Carol Clark' },
  ]);
  await expect(alice.page.getByText('3 members · End-to-end encrypted')).toBeVisible();
  await say(alice.page, 'Hi both, hiking on Saturday?');

  await openGroup(bob.page, 'Weekend plans');
  await expect(messages(bob.page).getByText('Hi both, hiking on Saturday?')).toBeVisible();
  await expect(messages(bob.page).getByText('Alice Adams', { exact: true })).toBeVisible();
  await openGroup(carol.page, 'Weekend plans');
  await expect(messages(carol.page).getByText('Hi both, hiking on Saturday?')).toBeVisible();

  await say(bob.page, 'Count me in');
  await expect(messages(alice.page).getByText('Count me in')).toBeVisible();
  await expect(messages(carol.page).getByText('Count me in')).toBeVisible();
  await expect(messages(carol.page).getByText('Bob Brown', { exact: true })).toBeVisible();

  // The member list shows roles; the owner removes Carol.
  await alice.page.getByRole('button', { name: 'Members', exact: true }).click();
  const panel = alice.page.getByRole('complementary', { name: 'Members' });
  await expect(panel.getByText('Owner')).toBeVisible();
  await panel.getByRole('button', { name: 'Remove Carol Clark from the group' }).click();
  await expect(messages(alice.page).getByText('You removed Carol Clark')).toBeVisible();
  await expect(alice.page.getByText('2 members · End-to-end encrypted')).toBeVisible();

  // Carol sees that she was removed; her composer is gone.
  await expect(messages(carol.page).getByText('Alice Adams removed you from the group')).toBeVisible();
  await expect(carol.page.getByRole('status').filter({ hasText: 'You were removed from this group' })).toBeVisible();
  await expect(carol.page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);

  // New messages reach Bob only.
  await say(alice.page, 'See you Saturday, Bob');
  await expect(messages(bob.page).getByText('See you Saturday, Bob')).toBeVisible();
  await expect(messages(bob.page).getByText('Alice Adams removed Carol Clark')).toBeVisible();
  await carol.page.waitForTimeout(1_000);
  await expect(messages(carol.page).getByText('See you Saturday, Bob')).toHaveCount(0);

  if (process.env.PARLEY_SCREENSHOTS) {
    await alice.page.screenshot({ path: join(repoRoot, 'docs/screenshot-group.png') });
    await carol.page.emulateMedia({ colorScheme: 'dark' });
    await carol.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-group-removed-dark.png') });
  }
});

test('a long group history is virtualized and pages back as the reader scrolls up, and to a quoted line', async ({
  launchClient,
}) => {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice Adams');
  await signUp(bob.page, 'bob', 'Bob Brown');
  await createGroup(alice.page, 'Long thread', [{ username: 'bob', displayName: 'Bob Brown' }]);

  // Alice writes more lines than one page of history (100) holds.
  const LINES = 130;
  for (let n = 1; n <= LINES; n++) await send(alice.page, `line ${n} of the thread`);
  await expect(messages(alice.page).getByText(`line ${LINES} of the thread`)).toBeVisible();

  // Bob opens the group once all of them have reached him: only the newest page is loaded
  // (not checked here: the log is virtualized, so line 1 would have no DOM node either way).
  const bobChats = bob.page.getByRole('navigation', { name: 'Chats' });
  await expect(
    bobChats.getByRole('button', { name: new RegExp(`Long thread.*line ${LINES} of the thread`) }),
  ).toBeVisible();
  await openGroup(bob.page, 'Long thread');
  const log = messages(bob.page);
  await expect(log.getByText(`line ${LINES} of the thread`)).toBeVisible();
  const first = log.getByText('line 1 of the thread', { exact: true });

  // He scrolls up (keyboard: the log takes focus) until the first line shows; older pages
  // come in above as he gets near the top.
  await log.focus();
  await expect
    .poll(async () => {
      await log.press('Home');
      return first.isVisible();
    })
    .toBe(true);
  await expect(log.getByText(/^Group messages are end-to-end encrypted/)).toBeVisible();
  // Only the rows near the viewport are in the DOM.
  expect(await log.locator('[data-message-id]').count()).toBeLessThan(LINES / 2);

  // Bob answers the first line. After a reload only the newest page is loaded again; the
  // quote takes him back to the first line, loading older pages on the way.
  await first.click({ button: 'right' });
  await bob.page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Reply' }).click();
  await say(bob.page, 'answering the very first line');
  await bob.page.reload();
  await openGroup(bob.page, 'Long thread');
  await expect(log.getByText('answering the very first line')).toBeVisible();
  // The first line's own row (not the reply quoting it); like any row far from the viewport
  // it has no DOM node until he goes there.
  const original = messageRow(log, 'line 1 of the thread');
  await log.getByRole('button', { name: 'Go to the quoted message from Alice Adams' }).click();
  await expect(original).toBeVisible();

  if (process.env.PARLEY_SCREENSHOTS) {
    await log.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
    await expect(log.getByText(/^line \d+ of the thread$/).first()).toBeVisible();
    await bob.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-group-long-history.png') });
  }
});
