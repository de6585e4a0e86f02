import type { ParseKeys } from 'i18next';

/** The wording of each self-destruct timer choice (seconds → key). */
export const TIMER_LABEL_KEYS: ReadonlyArray<readonly [number, ParseKeys]> = [
  [0, 'lifecycle.timerOff'],
  [5, 'lifecycle.timerFiveSeconds'],
  [30, 'lifecycle.timerThirtySeconds'],
  [60, 'lifecycle.timerOneMinute'],
  [300, 'lifecycle.timerFiveMinutes'],
  [3_600, 'lifecycle.timerOneHour'],
  [86_400, 'lifecycle.timerOneDay'],
  [604_800, 'lifecycle.timerOneWeek'],
];

export function timerLabelKey(seconds: number): ParseKeys {
  return TIMER_LABEL_KEYS.find(([value]) => value === seconds)?.[1] ?? 'lifecycle.timerOff';
}

/** Time left in the largest fitting unit: key and count (seconds up to a minute, never below 0). */
export function timeLeft(ms: number): { key: ParseKeys; count: number } {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds <= 60) return { key: 'lifecycle.leftSeconds', count: seconds };
  if (seconds < 3_600) return { key: 'lifecycle.leftMinutes', count: Math.round(seconds / 60) };
  if (seconds < 86_400) return { key: 'lifecycle.leftHours', count: Math.round(seconds / 3_600) };
  return { key: 'lifecycle.leftDays', count: Math.round(seconds / 86_400) };
}

/** The reactions offered (the core accepts exactly these). */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
export type Reaction = (typeof REACTIONS)[number];

/**
 * Names inside translated sentences go through slots: the sentence is translated with a
 * marker where each name goes (`slot(0)`…), then split (`splitSlots`) so the name can be
 * rendered in its own <bdi> — a Hebrew name in an English sentence, or the reverse, does not
 * reorder the words around it, and the translation still decides where the name sits.
 */
export function slot(index: number): string {
  return `\uE000${index}\uE001`;
}

/** A translated sentence cut at its slots: text, and the index of the name in each slot. */
export function splitSlots(text: string): Array<string | { name: number }> {
  return text
    .split(/\uE000(\d+)\uE001/u)
    .map((part, i) => (i % 2 === 1 ? { name: Number(part) } : part))
    .filter((part) => part !== '');
}

/** A sentence to translate: its key, the values it takes, and the names its slots hold. */
export interface Sentence {
  key: ParseKeys;
  values: Record<string, string | number>;
  names: string[];
}

/**
 * The service line announcing a timer change: "You set messages to disappear after 5
 * seconds." / "Alice turned off disappearing messages." (`timer` is the worded choice).
 */
export function timerLine(seconds: number, mine: boolean, name: string, timer: string): Sentence {
  if (seconds === 0)
    return mine
      ? { key: 'lifecycle.timerOffLineMine', values: {}, names: [] }
      : { key: 'lifecycle.timerOffLine', values: { name: slot(0) }, names: [name] };
  return mine
    ? { key: 'lifecycle.timerSetLineMine', values: { timer }, names: [] }
    : { key: 'lifecycle.timerSetLine', values: { name: slot(0), timer }, names: [name] };
}

/** "Alice is typing…", "Alice and Bob are typing…", "Alice and 2 others are typing…". */
export function typingLine(names: readonly string[]): Sentence | null {
  const [first, second] = names;
  if (first === undefined) return null;
  if (second === undefined) return { key: 'lifecycle.typingOne', values: { name: slot(0) }, names: [first] };
  if (names.length === 2)
    return { key: 'lifecycle.typingTwo', values: { first: slot(0), second: slot(1) }, names: [first, second] };
  return { key: 'lifecycle.typingMany', values: { name: slot(0), count: names.length - 1 }, names: [first] };
}
