/**
 * How a channel pushes a message. Channels register one; channels without one ('web', 'cli') are pull
 * channels whose messages wait for the user's next turn (takePending).
 */

export interface OutgoingMessage {
  text: string;
  image?: { png: Buffer; caption?: string };
}

export interface ChannelSender {
  send(to: { userId: string }, message: OutgoingMessage): Promise<void>;
}

/**
 * The platform refused the message (blocked bot, unknown user, message too long): retrying cannot help.
 * Anything else a sender throws is taken as transient (network, timeout, 5xx) and retried with backoff.
 */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
}

export type SenderRegistry = ReadonlyMap<string, ChannelSender>;
