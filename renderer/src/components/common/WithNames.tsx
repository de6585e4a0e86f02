import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { splitSlots, type Sentence } from '../../format/lifecycle';

/** A translated sentence whose slots (see `slot`) are filled with names, each in its own <bdi>. */
export function WithNames({ text, names }: { text: string; names: readonly string[] }) {
  return (
    <>
      {splitSlots(text).map((part, i) =>
        typeof part === 'string' ? <Fragment key={i}>{part}</Fragment> : <bdi key={i}>{names[part.name] ?? ''}</bdi>,
      )}
    </>
  );
}

/** A Sentence (key, values, names) translated and rendered with its names isolated. */
export function SentenceText({ sentence }: { sentence: Sentence }) {
  const { t } = useTranslation();
  return <WithNames text={t(sentence.key, sentence.values)} names={sentence.names} />;
}
