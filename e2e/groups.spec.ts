import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createGroup, groupLog as messages, openGroup, say, signUp } from './app';
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
