/**
 * The WeCom wire types: request and response bodies of every API the client calls, as WeCom's documents define them
 * (field names as on the wire). Types only: the simulator and the renderer use them without importing client code.
 */
export type * from './app.js';
export type * from './attachments.js';
export type * from './common.js';
export type * from './contacts.js';
export type * from './contactWay.js';
export type * from './externalContact.js';
export type * from './externalContactMessage.js';
export type * from './externalContactMoment.js';
export type * from './externalContactStatistics.js';
export type * from './message.js';
