import type { GroupView } from '../../../../shared/ipc';
import type { ListRow } from '../channel/mergeWithChannels';

export type RowWithGroups = ListRow | { group: GroupView; chat?: undefined; channel?: undefined };

function rowTime(row: ListRow): number {
  return row.channel ? row.channel.updatedAt : (row.chat.lastMessage?.sentAt ?? row.chat.updatedAt);
}

/** Groups placed among chats and channels (already ordered), newest activity first. */
export function mergeWithGroups(
  rows: readonly ListRow[],
  groups: Readonly<Record<string, GroupView>>,
): RowWithGroups[] {
  const groupRows = Object.values(groups).sort((a, b) => b.updatedAt - a.updatedAt);
  const out: RowWithGroups[] = [];
  let g = 0;
  for (const row of rows) {
    while (g < groupRows.length && groupRows[g]!.updatedAt > rowTime(row)) out.push({ group: groupRows[g++]! });
    out.push(row);
  }
  while (g < groupRows.length) out.push({ group: groupRows[g++]! });
  return out;
}
