/** Byte helpers of the core: the ones the E2EE module defines (one implementation). */
export { bytesEqual, concatBytes, utf8 } from './e2ee/bytes';
