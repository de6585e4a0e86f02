/**
 * What a person does in the app, expressed through roles and accessible names (as a
 * screen reader would find them), so the specs read like the user's story.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export async function signUp(page: Page, username: string, displayName: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Username' }).fill(username);
  await page.getByRole('textbox', { name: 'Display name' }).fill(displayName);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('navigation', { name: 'Chats' })).toBeVisible();
}

export async function startChatWith(page: Page, username: string, displayName: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search by username' }).fill(`@${username}`);
  const results = page.getByRole('list', { name: 'Search results' });
  await results.getByRole('button', { name: new RegExp(`${displayName}.*@${username}`) }).click();
  await expect(page.getByRole('heading', { name: displayName })).toBeVisible();
}

export async function openChat(page: Page, displayName: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: new RegExp(`^${displayName}`) })
    .click();
  await expect(page.getByRole('heading', { name: displayName })).toBeVisible();
}

export async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
}

export const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** Opens "Verify safety number" from the chat header's encryption chip. */
export async function openSafetyNumber(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^End-to-end encrypted/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Verify safety number' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The 60 digits the dialog shows, without the spacing between groups. */
export async function safetyNumberDigits(dialog: Locator): Promise<string> {
  const number = dialog.getByRole('group', { name: 'Safety number' });
  await expect(number).toHaveText(/^(\s*\d{5}\s*){12}$/);
  return ((await number.textContent()) ?? '').replace(/\D/g, '');
}

/** Profile menu → "Reset encryption keys" → confirm. */
export async function resetEncryptionKeys(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Profile menu' }).click();
  await page.getByRole('menuitem', { name: 'Reset encryption keys' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Reset encryption keys?' });
  await expect(confirm).toContainText('safety number changed');
  await confirm.getByRole('button', { name: 'Reset keys' }).click();
  await expect(confirm).toBeHidden();
}

/** A group's history (its lines, virtualized: only those near the viewport are in the DOM). */
export const groupLog = (page: Page) => page.getByRole('log', { name: 'Group messages' });

/** The row of the message with this text (its bubble, reactions and ⋯ button), not a reply quoting it. */
export const messageRow = (log: Locator, text: string) =>
  log
    .locator('[data-message-id]')
    .filter({ hasText: text })
    .filter({ hasNot: log.page().getByRole('button', { name: /^Go to the quoted message/ }) });

/** Sends a message in the open group and waits for it to show. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await expect(groupLog(page).getByText(text)).toBeVisible();
}

export async function openGroup(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

/** "New group": a name and members found by @username; it opens when created. */
export async function createGroup(
  page: Page,
  name: string,
  members: ReadonlyArray<{ username: string; displayName: string }>,
): Promise<void> {
  await page.getByRole('button', { name: 'New group' }).click();
  const dialog = page.getByRole('dialog', { name: 'New group' });
  await expect(dialog).toContainText('end-to-end encrypted');
  await dialog.getByRole('textbox', { name: 'Group name' }).fill(name);
  const search = dialog.getByRole('textbox', { name: 'Search people by @username' });
  for (const member of members) {
    await search.fill(member.username);
    await dialog.getByRole('checkbox', { name: new RegExp(member.displayName) }).check();
  }
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}
