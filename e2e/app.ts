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
