import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { failureText } from './failureText';

const t = ((key: string) => `t:${key}`) as unknown as TFunction;

describe('channel failure text', () => {
  it("shows the core's wording for refusals it explains, and the app's sentence for the rest", () => {
    expect(failureText({ code: 'invalid_input', message: 'avatar: not a PNG, JPEG or WebP image' }, t)).toBe(
      'avatar: not a PNG, JPEG or WebP image',
    );
    expect(failureText({ code: 'relay_error', message: "only the channel's owner can do that" }, t)).toBe(
      "only the channel's owner can do that",
    );
    expect(failureText({ code: 'not_found', message: 'that user is not an admin of this channel' }, t)).toBe(
      'that user is not an admin of this channel',
    );
    expect(failureText({ code: 'offline', message: 'not connected' }, t)).toBe('t:errors.offline');
  });
});
