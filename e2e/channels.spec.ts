import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { join } from 'node:path';
import { signUp } from './app';
import { sunsetPng } from './pngFixture';
import { repoRoot } from './processes';

async function post(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Write a post' });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(page.getByRole('list', { name: 'Posts' }).getByText(text)).toBeVisible();
}

const postArticle = (page: Page, text: string) =>
  page.getByRole('list', { name: 'Posts' }).getByRole('article').filter({ hasText: text });

test('a public channel: created, found by search, previewed, subscribed, posts arrive live with counts', async ({
  launchClient,
}) => {
  const owner = await launchClient('owner');
  const reader = await launchClient('reader');
  await signUp(owner.page, 'owner', 'Olivia Owner');
  await signUp(reader.page, 'reader', 'Rita Reader');

  await owner.page.getByRole('button', { name: 'New channel' }).click();
  const dialog = owner.page.getByRole('dialog', { name: 'New channel' });
  await dialog.getByRole('textbox', { name: 'Title' }).fill('Parley Weekly');
  await dialog.getByRole('textbox', { name: 'Description (optional)' }).fill('News about Parley, once a week');
  await dialog.getByRole('textbox', { name: 'Public @handle' }).fill('@weekly');
  await expect(dialog.getByRole('note')).toContainText('not end-to-end encrypted');
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  await expect(owner.page.getByRole('heading', { name: 'Parley Weekly' })).toBeVisible();
  await expect(owner.page.getByRole('note')).toContainText('Channels are not end-to-end encrypted');
  await post(owner.page, 'Welcome to Parley Weekly');

  // The reader finds it by search and previews it before subscribing.
  await reader.page.getByRole('searchbox', { name: 'Search by username' }).fill('weekly');
  await reader.page
    .getByRole('list', { name: 'Channels found' })
    .getByRole('button', { name: /Parley Weekly/ })
    .click();
  await expect(reader.page.getByRole('heading', { name: 'Parley Weekly' })).toBeVisible();
  await expect(postArticle(reader.page, 'Welcome to Parley Weekly')).toBeVisible();
  await reader.page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(reader.page.getByText('Only admins can post in this channel.')).toBeVisible();
  await expect(reader.page.getByRole('textbox', { name: 'Write a post' })).toHaveCount(0);
  await expect(reader.page.getByTestId('channel-subscribers')).toHaveText('2 subscribers');
  await expect(
    reader.page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /Parley Weekly/ }),
  ).toBeVisible();

  // A new post arrives live; both sides see the subscriber count and the aggregated views.
  await post(owner.page, 'Fresh off the press');
  await expect(postArticle(reader.page, 'Fresh off the press')).toBeVisible();
  await expect(owner.page.getByTestId('channel-subscribers')).toHaveText('2 subscribers');
  await expect(postArticle(owner.page, 'Fresh off the press').getByTestId('post-views')).toHaveText('2 views');
  await expect(postArticle(reader.page, 'Fresh off the press').getByTestId('post-views')).toHaveText('2 views');
  await expect(reader.page.getByRole('note')).toContainText('not end-to-end encrypted');

  // The admin pins a post; the subscriber sees it pinned.
  await postArticle(owner.page, 'Welcome to Parley Weekly').getByRole('button', { name: 'Pin' }).click();
  await expect(reader.page.getByLabel('Pinned post')).toContainText('Welcome to Parley Weekly');

  if (process.env.PARLEY_SCREENSHOTS) {
    await owner.page.screenshot({ path: join(repoRoot, 'docs/screenshot-channel.png') });
    await reader.page.emulateMedia({ colorScheme: 'dark' });
    await reader.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-channel-reader-dark.png') });
  }
});

test('a channel avatar: picked when creating, shown in the chat list, search results and the header', async ({
  launchClient,
}) => {
  const owner = await launchClient('owner');
  const reader = await launchClient('reader');
  await signUp(owner.page, 'owner', 'Olivia Owner');
  await signUp(reader.page, 'reader', 'Rita Reader');

  await owner.page.getByRole('button', { name: 'New channel' }).click();
  const dialog = owner.page.getByRole('dialog', { name: 'New channel' });
  await dialog.getByRole('textbox', { name: 'Title' }).fill('Sunset Photos');
  await dialog.getByRole('textbox', { name: 'Public @handle' }).fill('sunsets');
  const file = dialog.getByLabel('Avatar image file');

  // Not an image: a clear message, nothing picked.
  await file.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  await expect(dialog.getByRole('alert')).toContainText('could not be read');
  await expect(dialog.getByRole('img', { name: 'Avatar preview' })).toHaveCount(0);

  // A picture: previewed round, can be removed and picked again.
  const png = { name: 'sunset.png', mimeType: 'image/png', buffer: sunsetPng() };
  await file.setInputFiles(png);
  await expect(dialog.getByRole('img', { name: 'Avatar preview' })).toBeVisible();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(dialog.getByRole('img', { name: 'Avatar preview' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Choose avatar' })).toBeVisible();
  await file.setInputFiles(png);
  await expect(dialog.getByRole('button', { name: 'Change avatar' })).toBeVisible();
  if (process.env.PARLEY_SCREENSHOTS) {
    await dialog.screenshot({ path: join(repoRoot, 'test-results/screenshot-channel-avatar-dialog.png') });
  }
  await dialog.getByRole('button', { name: 'Create channel' }).click();

  // The owner sees it in the header and in the chat list (a 256×256 picture from a blob: URL).
  await expect(owner.page.getByRole('img', { name: 'Sunset Photos avatar' })).toBeVisible();
  const ownerRow = owner.page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: /Sunset Photos/ });
  await expectPicture(ownerRow.locator('img.avatar--picture'));
  await post(owner.page, 'Golden hour tonight');

  // The reader sees it in search results, in the preview's header, and after subscribing in the chat list.
  await reader.page.getByRole('searchbox', { name: 'Search by username' }).fill('sunset');
  const result = reader.page
    .getByRole('list', { name: 'Channels found' })
    .getByRole('button', { name: /Sunset Photos/ });
  await expectPicture(result.locator('img.avatar--picture'));
  if (process.env.PARLEY_SCREENSHOTS) {
    await reader.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-channel-avatar-search.png') });
  }
  await result.click();
  await expect(reader.page.getByRole('img', { name: 'Sunset Photos avatar' })).toBeVisible();
  await reader.page.getByRole('button', { name: 'Subscribe' }).click();
  const readerRow = reader.page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Sunset Photos/ });
  await expectPicture(readerRow.locator('img.avatar--picture'));

  if (process.env.PARLEY_SCREENSHOTS) {
    await reader.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-channel-avatar.png') });
  }
});

async function expectPicture(img: Locator): Promise<void> {
  await expect(img).toBeVisible();
  await expect(img).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(256);
}
