import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { join } from 'node:path';
import { signUp } from './app';
import { makePng, sunsetPng } from './pngFixture';
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

test('the owner changes and removes the channel picture; a subscriber sees each change live', async ({
  launchClient,
}) => {
  const owner = await launchClient('owner');
  const reader = await launchClient('reader');
  await signUp(owner.page, 'owner', 'Olivia Owner');
  await signUp(reader.page, 'reader', 'Rita Reader');
  await createChannel(owner.page, 'Harbour Views', 'harbour');
  await subscribe(reader.page, 'harbour', 'Harbour Views');
  const readerHeader = reader.page.getByRole('img', { name: 'Harbour Views avatar' });
  await expect(readerHeader).toHaveCount(0); // initials: no picture yet

  const tools = await openOwnerTools(owner.page);
  const picture = tools.getByRole('group', { name: 'Channel picture' });
  const file = picture.getByLabel('Channel picture file');
  await expect(picture.getByRole('button', { name: 'Remove picture' })).toHaveCount(0);

  // Not an image: a clear message, nothing changes.
  await file.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  await expect(picture.getByRole('alert')).toContainText('could not be read');

  // A sunset (the sun in the middle), then the sea: the subscriber's header follows each one.
  await file.setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: sunsetPng() });
  await expect(picture.getByRole('status')).toHaveText('Picture changed.');
  await expectPicture(readerHeader);
  await expect.poll(() => centreColour(readerHeader)).toBe('yellow');
  if (process.env.PARLEY_SCREENSHOTS) {
    await owner.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-channel-owner-picture.png') });
  }
  const sea = makePng(200, 200, () => [30, 90, 200]);
  await file.setInputFiles({ name: 'sea.png', mimeType: 'image/png', buffer: sea });
  await expect.poll(() => centreColour(readerHeader)).toBe('blue');
  const readerRow = reader.page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /Harbour Views/ });
  await expect.poll(() => centreColour(readerRow.locator('img.avatar--picture'))).toBe('blue');

  // Removed: the subscriber sees the initials again.
  await picture.getByRole('button', { name: 'Remove picture' }).click();
  await expect(picture.getByRole('status')).toHaveText('Picture removed.');
  await expect(readerHeader).toHaveCount(0);
  await expect(readerRow.locator('img.avatar--picture')).toHaveCount(0);
  await expect(readerRow.locator('.avatar')).toHaveText('HV');
});

test("the owner removes an admin: the admin's composer goes, their earlier post stays", async ({ launchClient }) => {
  const owner = await launchClient('owner');
  const helper = await launchClient('helper');
  await signUp(owner.page, 'owner', 'Olivia Owner');
  await signUp(helper.page, 'helper', 'Hugo Helper');
  await createChannel(owner.page, 'Newsroom', 'newsroom');
  await subscribe(helper.page, 'newsroom', 'Newsroom');
  await expect(helper.page.getByRole('textbox', { name: 'Write a post' })).toHaveCount(0);

  const tools = await openOwnerTools(owner.page);
  await tools.getByRole('textbox', { name: 'Add an admin by @username' }).fill('@helper');
  await tools.getByRole('button', { name: 'Add admin' }).click();
  await expect(tools.getByRole('status')).toHaveText('Admin added.');
  const admins = tools.getByRole('list', { name: 'Admins' });
  await expect(admins.getByRole('listitem')).toHaveText([/Olivia Owner.*owner/, /Hugo Helper/]);

  // The new admin's composer appears without reopening anything; they post.
  await post(helper.page, 'Filed by the helper');
  await expect(postArticle(owner.page, 'Filed by the helper')).toBeVisible();
  if (process.env.PARLEY_SCREENSHOTS) {
    await owner.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-channel-owner-tools.png') });
  }

  // Remove, after a confirmation (cancel first: nothing happens).
  await admins.getByRole('button', { name: 'Remove Hugo Helper as admin' }).click();
  const confirm = owner.page.getByRole('alertdialog', { name: 'Remove Hugo Helper as admin?' });
  await expect(confirm).toContainText('Their earlier posts stay');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(admins.getByRole('listitem')).toHaveCount(2);
  await admins.getByRole('button', { name: 'Remove Hugo Helper as admin' }).click();
  if (process.env.PARLEY_SCREENSHOTS) {
    await owner.page.screenshot({ path: join(repoRoot, 'test-results/screenshot-channel-remove-admin.png') });
  }
  await confirm.getByRole('button', { name: 'Remove admin' }).click();
  await expect(confirm).toBeHidden();
  await expect(admins.getByRole('listitem')).toHaveText([/Olivia Owner/]);

  // The removed admin's composer goes live; their earlier post stays for everyone.
  await expect(helper.page.getByRole('textbox', { name: 'Write a post' })).toHaveCount(0);
  await expect(helper.page.getByText('Only admins can post in this channel.')).toBeVisible();
  await expect(postArticle(helper.page, 'Filed by the helper')).toBeVisible();
  await expect(postArticle(owner.page, 'Filed by the helper')).toBeVisible();
  await post(owner.page, 'The owner carries on');
  await expect(postArticle(helper.page, 'The owner carries on')).toBeVisible();
});

async function createChannel(page: Page, title: string, handle: string): Promise<void> {
  await page.getByRole('button', { name: 'New channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'New channel' });
  await dialog.getByRole('textbox', { name: 'Title' }).fill(title);
  await dialog.getByRole('textbox', { name: 'Public @handle' }).fill(handle);
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
}

async function subscribe(page: Page, query: string, title: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search by username' }).fill(query);
  await page
    .getByRole('list', { name: 'Channels found' })
    .getByRole('button', { name: new RegExp(title) })
    .click();
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByText('Only admins can post in this channel.')).toBeVisible();
}

async function openOwnerTools(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Manage channel' }).click();
  const tools = page.getByRole('region', { name: 'Manage channel' });
  await expect(tools).toBeVisible();
  return tools;
}

/** The e2e project has no DOM types: the bits of a canvas that centreColour uses. */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(image: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

/** The dominant colour in the middle of a shown picture (drawn to a canvas: blob: URLs are same-origin). */
async function centreColour(img: Locator): Promise<string> {
  return img.evaluate((el) => {
    const image = el as unknown as { naturalWidth: number; naturalHeight: number };
    const { document } = globalThis as unknown as { document: { createElement(tag: 'canvas'): PageCanvas } };
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0) return 'none';
    context.drawImage(el, 0, 0);
    const data = context.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
    const [r, g, b] = [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0];
    if (r > 200 && g > 170 && b < 140) return 'yellow';
    if (b > 150 && r < 100) return 'blue';
    return `rgb(${r}, ${g}, ${b})`;
  });
}

async function expectPicture(img: Locator): Promise<void> {
  await expect(img).toBeVisible();
  await expect(img).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(256);
}
