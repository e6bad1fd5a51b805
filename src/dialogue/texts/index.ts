/**
 * Every reply text the public reads, in one module: short, concrete Chinese, no internal ids. The
 * conversation's texts and the form's live in two files of it.
 */
export * from './conversation.ts';
export * from './form.ts';
