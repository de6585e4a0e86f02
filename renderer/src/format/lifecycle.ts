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
