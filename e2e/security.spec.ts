import { expect, test } from './fixtures';
import type { Client } from './fixtures';
import {
  messageLog,
  openChat,
  openSafetyNumber,
  resetEncryptionKeys,
  safetyNumberDigits,
  send,
  signUp,
  startChatWith,
} from './app';

/** Alice and Bob sign up and exchange a message each; both have the chat open. */
async function aliceAndBobTalking(launchClient: (name: string) => Promise<Client>) {
  const alice = await launchClient('alice');
  const bob = await launchClient('bob');
  await signUp(alice.page, 'alice', 'Alice Liddell');
  await signUp(bob.page, 'bob', 'Bob Builder');
  await startChatWith(alice.page, 'bob', 'Bob Builder');
  await send(alice.page, 'Hi Bob, shall we compare numbers?');
  await openChat(bob.page, 'Alice Liddell');
  await expect(messageLog(bob.page).getByText('Hi Bob, shall we compare numbers?')).toBeVisible();
  await send(bob.page, 'Sure.');
  await expect(messageLog(alice.page).getByText('Sure.')).toBeVisible();
  return { alice, bob };
}

/** Alice opens the safety number with Bob, marks him verified and closes the dialog with Esc. */
async function aliceVerifiesBob(alice: Client): Promise<void> {
  const dialog = await openSafetyNumber(alice.page);
  const verifiedSwitch = dialog.getByRole('switch', { name: 'Mark as verified' });
  await expect(verifiedSwitch).toHaveAttribute('aria-checked', 'false');
  await verifiedSwitch.click();
  await expect(verifiedSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByText('Verified', { exact: true })).toBeVisible();
  await alice.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

test('both people see the same safety number, and a verified contact gets a badge', async ({ launchClient }) => {
  const { alice, bob } = await aliceAndBobTalking(launchClient);
  await expect(alice.page.getByRole('img', { name: 'Verified' })).toHaveCount(0);

  const aliceDialog = await openSafetyNumber(alice.page);
  const bobDialog = await openSafetyNumber(bob.page);
  await expect(aliceDialog.getByText('Bob Builder', { exact: true })).toBeVisible();
  await expect(bobDialog.getByText('Alice Liddell', { exact: true })).toBeVisible();
  await expect(aliceDialog.getByRole('img', { name: /QR code/ })).toBeVisible();

  const aliceDigits = await safetyNumberDigits(aliceDialog);
  const bobDigits = await safetyNumberDigits(bobDialog);
  expect(aliceDigits).toMatch(/^\d{60}$/);
  expect(bobDigits).toBe(aliceDigits);

  // Bob closes his with the close button; focus goes back to the chip that opened it.
  await bobDialog.getByRole('button', { name: 'Close' }).click();
  await expect(bobDialog).toBeHidden();
  await expect(bob.page.getByRole('button', { name: /^End-to-end encrypted/ })).toBeFocused();

  await alice.page.keyboard.press('Escape');
  await expect(aliceDialog).toBeHidden();
  await aliceVerifiesBob(alice);
  await expect(alice.page.getByRole('button', { name: /^End-to-end encrypted/ })).toBeFocused();
  await expect(alice.page.getByRole('img', { name: 'Verified' })).toBeVisible();
  // Verification is one-sided: Bob has not verified Alice.
  await expect(bob.page.getByRole('img', { name: 'Verified' })).toHaveCount(0);

  // It persists: reopened, the dialog shows Bob as verified with the same number.
  const again = await openSafetyNumber(alice.page);
  await expect(again.getByRole('switch', { name: 'Mark as verified' })).toHaveAttribute('aria-checked', 'true');
  expect(await safetyNumberDigits(again)).toBe(aliceDigits);
});

test("when a verified contact's key changes, sending waits for the user's confirmation", async ({ launchClient }) => {
  const { alice, bob } = await aliceAndBobTalking(launchClient);
  const before = await safetyNumberDigits(await openSafetyNumber(alice.page));
  await alice.page.keyboard.press('Escape');
  await aliceVerifiesBob(alice);
  await expect(alice.page.getByRole('img', { name: 'Verified' })).toBeVisible();

  await resetEncryptionKeys(bob.page);

  // Without anyone writing, Alice's chat says that Bob's key changed (the relay hints her
  // app, which looks Bob up and checks): Bob is no longer verified, and since she had
  // verified him, the banner says her messages will wait.
  const aliceLog = messageLog(alice.page);
  await expect(aliceLog.getByText('Your safety number with Bob Builder has changed.')).toBeVisible();
  await expect(alice.page.getByRole('img', { name: 'Verified' })).toHaveCount(0);
  const banner = alice.page.getByRole('region', { name: /Bob Builder's safety number changed/ });
  await expect(banner).toContainText('Messages you send wait until you confirm.');

  // She writes anyway: the message stays "Sending" and Bob does not get it.
  await send(alice.page, 'Is this still you, Bob?');
  const held = aliceLog.getByRole('img', { name: 'Sending' });
  await expect(held).toHaveCount(1);
  await alice.page.waitForTimeout(3_000);
  await expect(held).toHaveCount(1);
  await expect(banner).toBeVisible();
  await expect(messageLog(bob.page).getByText('Is this still you, Bob?')).toHaveCount(0);

  // The safety number itself is new.
  const dialog = await openSafetyNumber(alice.page);
  const after = await safetyNumberDigits(dialog);
  expect(after).not.toBe(before);
  await expect(dialog.getByRole('switch', { name: 'Mark as verified' })).toHaveAttribute('aria-checked', 'false');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await banner.getByRole('button', { name: 'Send anyway' }).click();
  await expect(banner).toBeHidden();
  await expect(messageLog(bob.page).getByText('Is this still you, Bob?')).toBeVisible();
  await expect(held).toHaveCount(0);
});
