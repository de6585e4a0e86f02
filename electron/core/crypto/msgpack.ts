import { Packr } from 'msgpackr';

/**
 * MessagePack for data inside envelopes. Same settings as the wire codec: plain maps, no
 * records extension, so the format is self-describing and readable by other versions.
 */
export const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
