/**
 * Every reply text the public reads, in one module: short, concrete Chinese, no internal ids. The
 * conversation's, the trade's and the form's texts live in three files of it.
 */
export * from './conversation.ts';
export * from './form.ts';
export * from './trade.ts';
export * from './ticket.ts';
