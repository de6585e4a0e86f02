import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/logger';
import { createExternalLinkOpener, externalLinkTarget } from './externalLinks';

function opener(answer: boolean | (() => Promise<boolean>)) {
  const confirm = vi.fn(typeof answer === 'function' ? answer : async () => answer);
  const open = vi.fn(async () => {});
  return { confirm, open, openLink: createExternalLinkOpener({ confirm, open, logger: silentLogger }) };
}

describe('externalLinkTarget', () => {
  it('accepts https and mailto links, normalised', () => {
    expect(externalLinkTarget('https://Example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(externalLinkTarget('mailto:ann@example.com')).toBe('mailto:ann@example.com');
  });

  it('refuses every other scheme, credentials that disguise the host, and garbage', () => {
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:privacy',
      'app://parley/index.html',
      'https://bank.example@evil.example/',
      'https://user:pw@example.com/',
      'not a url',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      expect(externalLinkTarget(url), url).toBeNull();
    }
  });
});

describe('external link opener', () => {
  it('opens an https link only after the user confirms it', async () => {
    const { confirm, open, openLink } = opener(true);
    await expect(openLink('https://example.com/x')).resolves.toBe('opened');
    expect(confirm).toHaveBeenCalledWith('https://example.com/x');
    expect(open).toHaveBeenCalledWith('https://example.com/x');
    expect(confirm.mock.invocationCallOrder[0]).toBeLessThan(open.mock.invocationCallOrder[0]!);
  });

  it('does not open anything when the user cancels', async () => {
    const { open, openLink } = opener(false);
    await expect(openLink('mailto:ann@example.com')).resolves.toBe('cancelled');
    expect(open).not.toHaveBeenCalled();
  });

  it('refuses other schemes without even asking', async () => {
    const { confirm, open, openLink } = opener(true);
    await expect(openLink('file:///home/ann/.ssh/id_ed25519')).resolves.toBe('refused');
    await expect(openLink('http://example.com/')).resolves.toBe('refused');
    expect(confirm).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
  });

  it('asks one question at a time, so a page cannot stack dialogs', async () => {
    let answer!: (yes: boolean) => void;
    const { confirm, open, openLink } = opener(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const first = openLink('https://example.com/1');
    await expect(openLink('https://example.com/2')).resolves.toBe('refused');
    answer(true);
    await expect(first).resolves.toBe('opened');
    expect(confirm).toHaveBeenCalledOnce();
    expect(open).toHaveBeenCalledWith('https://example.com/1');
  });
});
