import { describe, expect, it } from 'vitest';
import en from '../i18n/locales/en.json';
import { messagePreview, previewText, SYSTEM_LINE_KEYS, systemLineKey } from './preview';

describe('chat list previews', () => {
  it('collapses whitespace runs in text', () => {
    expect(previewText('  one\n\ntwo\t three ')).toBe('one two three');
    expect(messagePreview({ kind: 'text', text: 'hi\nthere' })).toEqual({ kind: 'text', text: 'hi there' });
  });

  it('words system lines instead of showing their empty text', () => {
    expect(messagePreview({ kind: 'keyChanged', text: '' })).toEqual({
      kind: 'system',
      key: 'security.keyChangedLine',
    });
    expect(messagePreview({ kind: 'undecryptable', text: '' })).toEqual({
      kind: 'system',
      key: 'security.undecryptableLine',
    });
  });

  it('treats a view without a kind, or with one it does not know, as text', () => {
    expect(systemLineKey(undefined)).toBeNull();
    expect(systemLineKey('text')).toBeNull();
    expect(systemLineKey('somethingNew' as never)).toBeNull();
    expect(systemLineKey('toString' as never)).toBeNull();
  });

  it('has English wording for every system line, naming the peer', () => {
    for (const key of Object.values(SYSTEM_LINE_KEYS)) {
      const [namespace, name] = key.split('.') as [keyof typeof en, string];
      const sentence = (en[namespace] as Record<string, string>)[name];
      expect(sentence).toContain('{{name}}');
    }
  });
});
