/**
 * What a person does in the app, expressed through roles and accessible names (as a
 * screen reader would find them), so the specs read like the user's story.
 */
import { expect, type Page } from '@playwright/test';

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
